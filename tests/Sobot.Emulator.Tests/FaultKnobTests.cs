using System.Diagnostics;

namespace Sobot.Emulator.Tests;

public class FaultKnobTests
{
    [Fact]
    public async Task Rate_limit_answers_429_with_retry_after_beyond_the_rate()
    {
        await using var e = await Emulator.StartAsync(o => o.RateLimit = 5);
        // Requests one after another until the first 429. The bucket holds one second's worth (5) and refills at 5 a
        // second while they go, so the number accepted is bounded by the time they took, however slow the machine.
        int accepted = 0;
        string? retryAfter = null;
        var clock = Stopwatch.StartNew();
        while (retryAfter is null)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"no 429 in 60 s ({accepted} accepted)");
            using var r = await e.Api.GetAsync("api/template/");
            if ((int)r.StatusCode == 429) retryAfter = r.Headers.RetryAfter?.Delta?.TotalSeconds.ToString() ?? "(none)";
            else { Assert.Equal(200, (int)r.StatusCode); accepted++; }
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        Assert.True(accepted >= 5, $"only {accepted} accepted before the first 429: the burst is a second's worth");
        Assert.True(accepted <= 5 + 5 * elapsed + 1, $"{accepted} accepted in {elapsed:0.00} s at 5 a second");
        Assert.Equal("1", retryAfter);
    }

    [Fact]
    public async Task Fail_rate_one_answers_every_api_call_with_500_but_not_the_control_endpoints()
    {
        await using var e = await Emulator.StartAsync(o => o.FailRate = 1);
        var (status, body) = await e.PostAsync("message/", """{"customer_number":"919970585556","customer_name":"A","template_name":"hello_world","template_lang":"en"}""");
        Assert.Equal(500, status);
        Assert.Equal(500, body["code"]!.GetValue<int>());
        Assert.Empty(e.Host.State.Messages);
        (await e.Bare.GetAsync("_emulator/messages")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Latency_is_added_before_each_api_response()
    {
        await using var e = await Emulator.StartAsync(o => o.LatencyMs = 150);
        var watch = Stopwatch.StartNew();
        await e.GetAsync("api/template/");
        Assert.True(watch.ElapsedMilliseconds >= 140, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("--fail-rate", "1.5")]
    [InlineData("--latency-ms", "-1")]
    [InlineData("--rate-limit", "fast")]
    [InlineData("--unknown", "x")]
    public void Bad_switches_are_refused(string name, string value)
    {
        Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse([name, value]));
    }

    [Fact]
    public void Switches_are_read()
    {
        var o = EmulatorOptions.Parse(["--urls", "http://127.0.0.1:0", "--latency-ms", "100", "--rate-limit", "80", "--fail-rate", "0.05", "--no-window", "--access-key", "a", "--secret-key", "s"]);
        Assert.Equal((100, 80d, 0.05, true, "a", "s"), (o.LatencyMs, o.RateLimit, o.FailRate, o.NoWindow, o.AccessKey, o.SecretKey));
    }
}

public class BenchmarkKnobTests
{
    private const string Template = """{"customer_number":"919970585556","customer_name":"A","template_name":"hello_world","template_lang":"en"}""";

    [Fact]
    public async Task Drop_rate_processes_the_request_then_closes_the_connection()
    {
        await using var e = await Emulator.StartAsync(o => o.DropRate = 1);
        await Assert.ThrowsAsync<HttpRequestException>(() => e.Api.PostAsync("message/", new StringContent(Template, System.Text.Encoding.UTF8, "application/json")));
        Assert.Single(e.Host.State.Messages);   // processed, though no answer came back
    }

    [Fact]
    public async Task No_retain_counts_without_storing()
    {
        await using var e = await Emulator.StartAsync(o => o.NoRetain = true);
        for (int i = 0; i < 3; i++) Assert.Equal(200, (await e.PostAsync("message/", Template)).Status);
        Assert.Empty(e.Host.State.Messages);
        Assert.Equal(3, e.Host.State.MessageCount);
        var stats = System.Text.Json.Nodes.JsonNode.Parse(await e.Bare.GetStringAsync("_emulator/stats"))!;
        Assert.Equal(3, stats["messages"]!.GetValue<long>());
    }

    [Fact]
    public async Task Logs_requests_with_status_and_retry_after_and_changes_knobs_at_run_time()
    {
        await using var e = await Emulator.StartAsync();
        var set = await e.Bare.PostAsync("_emulator/faults", new StringContent("""{"rate_limit":1}""", System.Text.Encoding.UTF8, "application/json"));
        set.EnsureSuccessStatusCode();
        await e.GetAsync("api/template/");
        await e.GetAsync("api/template/");
        var log = System.Text.Json.Nodes.JsonNode.Parse(await e.Bare.GetStringAsync("_emulator/requests"))!.AsArray();
        Assert.Equal([200, 429], log.Select(r => r!["status"]!.GetValue<int>()));
        Assert.Equal("1", log[1]!["retry_after"]!.GetValue<string>());
        Assert.Equal(400, (int)(await e.Bare.PostAsync("_emulator/faults", new StringContent("""{"fail_rate":2}""", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task Rotated_keys_reject_the_old_pair()
    {
        await using var e = await Emulator.StartAsync();
        (await e.Bare.PostAsync("_emulator/keys", new StringContent("""{"access_key":"a2","secret_key":"s2"}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        Assert.Equal(401, (await e.GetAsync("api/template/")).Status);
    }
}
