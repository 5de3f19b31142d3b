using System.Text.Json.Nodes;

namespace Sobot.Emulator.Tests;

/// <summary>The API traffic counters of GET /_emulator/stats: what the pacing benchmark reads after each run.</summary>
public class ApiCountersTests
{
    private const string Template = """{"customer_number":"919970585556","customer_name":"A","template_name":"hello_world","template_lang":"en"}""";

    private static async Task<JsonNode> StatsAsync(Emulator e) =>
        (await JsonNode.ParseAsync(await e.Bare.GetStreamAsync("_emulator/stats")))!;

    private static (long Requests, long RateLimited, long Peak) Counters(JsonNode stats) =>
        (stats["api_requests"]!.GetValue<long>(), stats["rate_limited"]!.GetValue<long>(), stats["in_flight_peak"]!.GetValue<long>());

    /// <summary>
    /// Posts until the rate limit has refused <paramref name="refusals"/> requests: the statuses, in order. However slow
    /// the machine (the bucket refills while the requests crawl), a limit of a few a second is reached in the end.
    /// </summary>
    private static async Task<List<int>> PostUntilRefusedAsync(Emulator e, int refusals)
    {
        var statuses = new List<int>();
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (statuses.Count(s => s == 429) < refusals)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"{refusals} refusal(s) not reached in 60 s: {statuses.Count} requests");
            statuses.Add((await e.PostAsync("message/", Template)).Status);
        }
        return statuses;
    }

    [Fact]
    public async Task Rate_limited_counts_the_429s_and_api_requests_every_answer()
    {
        await using var e = await Emulator.StartAsync(o => { o.RateLimit = 5; o.NoRetain = true; });
        var statuses = await PostUntilRefusedAsync(e, 3);
        using (var refused = await e.Bare.GetAsync("api/template/")) statuses.Add((int)refused.StatusCode);   // no keys: 401

        var (requests, rateLimited, peak) = Counters(await StatsAsync(e));
        Assert.Equal(statuses.Count, requests);
        Assert.Equal(statuses.Count(s => s == 429), rateLimited);
        Assert.Contains(401, statuses);
        Assert.Equal(1, peak);
    }

    [Fact]
    public async Task Control_endpoints_are_not_counted()
    {
        await using var e = await Emulator.StartAsync();
        await e.Bare.GetStringAsync("_emulator/messages");
        await e.Bare.GetStringAsync("_emulator/faults");
        Assert.Equal((0L, 0L, 0L), Counters(await StatsAsync(e)));
    }

    [Fact]
    public async Task In_flight_peak_is_the_number_of_requests_held_at_once_by_the_latency()
    {
        const int n = 12;
        await using var e = await Emulator.StartAsync(o => { o.LatencyMs = 3000; o.NoRetain = true; });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = n * 2 }) { BaseAddress = e.Api.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", EmulatorOptions.DefaultAccessKey);
        http.DefaultRequestHeaders.Add("x-api-secret", EmulatorOptions.DefaultSecretKey);

        // All n wait inside the gate for 3 s, so they overlap even on a busy machine; a generous deadline for the answers.
        var sends = Enumerable.Range(0, n).Select(async _ =>
        {
            using var r = await http.PostAsync("message/", new StringContent(Template, System.Text.Encoding.UTF8, "application/json"));
            return (int)r.StatusCode;
        }).ToList();
        var statuses = await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(statuses, s => Assert.Equal(200, s));
        var (requests, rateLimited, peak) = Counters(await StatsAsync(e));
        Assert.Equal((n, 0L, n), (requests, rateLimited, peak));
    }

    [Fact]
    public async Task Reset_zeroes_the_counters()
    {
        await using var e = await Emulator.StartAsync(o => o.RateLimit = 2);
        var statuses = await PostUntilRefusedAsync(e, 1);
        var (requests, rateLimited, _) = Counters(await StatsAsync(e));
        Assert.Equal(statuses.Count, requests);
        Assert.Equal(1, rateLimited);

        Assert.Equal(200, (await e.ControlAsync("reset", new { })).Status);
        Assert.Equal((0L, 0L, 0L), Counters(await StatsAsync(e)));

        await e.GetAsync("api/template/");
        Assert.Equal(1, Counters(await StatsAsync(e)).Requests);
    }
}
