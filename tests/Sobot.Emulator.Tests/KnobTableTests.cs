using System.Text.Json.Nodes;

namespace Sobot.Emulator.Tests;

/// <summary>The knob table: one declaration read by the command line, the usage text and /_emulator/faults.</summary>
public class KnobTableTests
{
    [Fact]
    public void Every_knob_has_a_flag_a_field_and_a_line_in_the_usage()
    {
        Assert.Equal(EmulatorKnobs.All.Count, EmulatorKnobs.All.Select(k => k.Flag).Distinct().Count());
        foreach (var knob in EmulatorKnobs.All)
        {
            Assert.StartsWith("--", knob.Flag);
            Assert.Equal(knob.Flag[2..].Replace('-', '_'), knob.Field);
            Assert.Contains(knob.Flag, EmulatorOptions.Usage);
        }
    }

    [Fact]
    public void The_new_knobs_are_read_from_the_command_line()
    {
        var o = EmulatorOptions.Parse(["--status-delay-ms", "sent=100,delivered=300,read=1000", "--failed-rate", "0.03", "--read-rate", "0.4",
            "--business-number", "918788111111", "--fail-paths", "/api/template,message", "--no-retain"]);
        Assert.Equal(new StatusDelays(100, 300, 1000), o.StatusDelays);
        Assert.Equal((0.03, 0.4, "918788111111", true), (o.FailedRate, o.ReadRate, o.BusinessNumber, o.NoRetain));
        Assert.Equal(["/api/template", "/message"], o.FailPaths);
        Assert.Equal(new StatusDelays(250, 250, 250), EmulatorOptions.Parse(["--status-delay-ms", "250"]).StatusDelays);
        Assert.Equal(new StatusDelays(0, 50, 0), EmulatorOptions.Parse(["--status-delay-ms", "delivered=50"]).StatusDelays);
        Assert.Equal(1.0, new EmulatorOptions().ReadRate);
    }

    [Theory]
    [InlineData("--status-delay-ms", "sent=x")]
    [InlineData("--status-delay-ms", "seen=10")]
    [InlineData("--status-delay-ms", "sent=1,sent=2")]
    [InlineData("--failed-rate", "1.1")]
    [InlineData("--read-rate", "-0.5")]
    [InlineData("--business-number", "+91 8788")]
    [InlineData("--seed", "x")]
    [InlineData("fail_rate", "0.1")]
    public void Values_that_do_not_fit_are_refused_naming_the_flag(string flag, string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse([flag, value]));
        Assert.Contains(flag, ex.Message);
    }

    [Fact]
    public async Task Faults_shows_every_run_time_knob_and_sets_them_while_running()
    {
        await using var e = await Emulator.StartAsync();
        var shown = JsonNode.Parse(await e.Bare.GetStringAsync("_emulator/faults"))!.AsObject();
        Assert.Equal(EmulatorKnobs.All.Where(k => k.AtRunTime).Select(k => k.Field).Append("code").Order(), shown.Select(p => p.Key).Order());
        Assert.Equal(1.0, shown["read_rate"]!.GetValue<double>());

        var (status, set) = await e.ControlAsync("faults", new { status_delay_ms = new { sent = 10, read = 30 }, failed_rate = 0.5, no_window = true, fail_paths = new[] { "api/customer" } });
        Assert.Equal(200, status);
        Assert.Equal((10, 0, 30), (set["status_delay_ms"]!["sent"]!.GetValue<int>(), set["status_delay_ms"]!["delivered"]!.GetValue<int>(), set["status_delay_ms"]!["read"]!.GetValue<int>()));
        Assert.Equal((0.5, true, "/api/customer"), (e.Host.State.Options.FailedRate, e.Host.State.Options.NoWindow, e.Host.State.Options.FailPaths.Single()));

        using var put = await e.Bare.PutAsync("_emulator/faults", new StringContent("""{"status_delay_ms":"sent=5,delivered=6,read=7","latency_ms":3}""", System.Text.Encoding.UTF8, "application/json"));
        put.EnsureSuccessStatusCode();
        Assert.Equal((new StatusDelays(5, 6, 7), 3), (e.Host.State.Options.StatusDelays, e.Host.State.Options.LatencyMs));
        Assert.Equal(new StatusDelays(40, 40, 40), ((await e.ControlAsync("faults", new { status_delay_ms = 40 })).Status == 200 ? e.Host.State.Options.StatusDelays : null));
    }

    [Theory]
    [InlineData("""{"colour":1}""", "Unknown field 'colour'")]
    [InlineData("""{"seed":1}""", "Unknown field 'seed'")]
    [InlineData("""{"latency_ms":5,"fail_rate":2}""", "fail_rate")]
    [InlineData("""{"latency_ms":5,"read_rate":null}""", "read_rate")]
    [InlineData("""{"latency_ms":5,"no_window":"maybe"}""", "no_window")]
    public async Task A_change_that_does_not_fit_is_a_400_and_changes_nothing(string json, string reason)
    {
        await using var e = await Emulator.StartAsync();
        using var response = await e.Bare.PostAsync("_emulator/faults", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, e.Host.State.Options.LatencyMs);
    }
}
