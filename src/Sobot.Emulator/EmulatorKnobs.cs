using System.Globalization;

namespace Sobot.Emulator;

/// <summary>Every emulator setting, in the order <c>--help</c> lists them.</summary>
public static class EmulatorKnobs
{
    public static readonly IReadOnlyList<EmulatorKnob> All =
    [
        Text("--urls", "a URL", false, "where to listen (default http://127.0.0.1:5080; port 0 picks a free port)", o => o.Urls, (o, v) => o.Urls = v),
        Text("--access-key", "a key", false, "the x-api-key it accepts (default demo-access-key; change it later with POST /_emulator/keys)", o => o.AccessKey, (o, v) => o.AccessKey = v, secret: true),
        Text("--secret-key", "a key", false, "the x-api-secret it accepts (default demo-secret-key)", o => o.SecretKey, (o, v) => o.SecretKey = v, secret: true),
        Whole("--latency-ms", 600_000, "delay in ms added before every API response", o => o.LatencyMs, (o, v) => o.LatencyMs = v),
        Number("--rate-limit", 1_000_000, "API requests per second; beyond it 429 with Retry-After (0 = unlimited)", o => o.RateLimit, (o, v) => o.RateLimit = v),
        Fraction("--fail-rate", "share of API requests answered 500", o => o.FailRate, (o, v) => o.FailRate = v),
        Fraction("--drop-rate", "share of API requests processed, then answered by closing the connection: the client cannot know the outcome", o => o.DropRate, (o, v) => o.DropRate = v),
        new EmulatorKnob<IReadOnlyList<string>>("--fail-paths", "API paths separated by commas", true, "API paths (prefixes) answered 500 every time: one broken endpoint among working ones",
            text => (true, text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => "/" + p.Trim('/')).ToList()),
            o => o.FailPaths, (o, v) => o.FailPaths = v),
        Switch("--no-retain", "count accepted messages without storing them (benchmarks)", o => o.NoRetain, (o, v) => o.NoRetain = v),
        Switch("--no-window", "turn off the 24-hour rule for free-form messages", o => o.NoWindow, (o, v) => o.NoWindow = v),
        new EmulatorKnob<int?>("--seed", "a whole number >= 0", false, "seed of the random generator behind the fault and outcome shares",
            text => WholeNumber(text, int.MaxValue) is int v ? (true, v) : (false, null), o => o.RandomSeed, (o, v) => o.RandomSeed = v),
        new EmulatorKnob<string?>("--webhook-url", "an absolute http(s) URL, or empty for none", true,
            "post status webhooks for every accepted message, and inbound-message webhooks, to this URL (once each, never retried)",
            text => text.Length == 0 ? (true, null)
                : Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https") ? (true, text) : (false, null),
            o => o.WebhookUrl, (o, v) => o.WebhookUrl = v) { Secret = true },
        new EmulatorKnob<string>("--business-number", "digits, country code first", true, "the business number inbound webhooks name as display_phone_number and context.from",
            text => StrictBody.IsMobile(text) ? (true, text) : (false, ""), o => o.BusinessNumber, (o, v) => o.BusinessNumber = v),
        new EmulatorKnob<StatusDelays>("--status-delay-ms", "ms as one number or sent=N,delivered=N,read=N", true,
            "delay before each status webhook, after the previous step (sent after acceptance, delivered or failed after sent, read after delivered)",
            text => StatusDelays.TryParse(text, out var d) ? (true, d) : (false, StatusDelays.None),
            o => o.StatusDelays, (o, v) => o.StatusDelays = v, d => new { sent = d.Sent, delivered = d.Delivered, read = d.Read }),
        Fraction("--failed-rate", "share of accepted messages that end failed (131026 Message undeliverable) instead of delivered", o => o.FailedRate, (o, v) => o.FailedRate = v),
        Fraction("--read-rate", "share of delivered messages that are then read (default 1)", o => o.ReadRate, (o, v) => o.ReadRate = v),
    ];

    /// <summary>The knob of a command-line flag (any case), or null.</summary>
    public static EmulatorKnob? FindFlag(string flag) => All.FirstOrDefault(k => string.Equals(k.Flag, flag, StringComparison.OrdinalIgnoreCase));

    /// <summary>The knob <c>/_emulator/faults</c> may change under this JSON field, or null.</summary>
    public static EmulatorKnob? FindRunTimeField(string field) => All.FirstOrDefault(k => k.AtRunTime && k.Field == field);

    /// <summary>Two lines a knob: the flag, then what it does, what it takes and its run-time field.</summary>
    public static string Usage() => string.Join(Environment.NewLine, All.Select(k =>
        $"  {k.Flag}{Environment.NewLine}      {k.Help}. " + (k.IsSwitch ? "A switch." : $"Takes {k.Takes}.")
        + (k.AtRunTime ? $" Run time: {k.Field}." : "")
        + (k.Variable is { } variable ? $" Or the environment variable {variable}, which keeps it off the command line (where every user of the machine can read it)." : "")));

    private static EmulatorKnob<string> Text(string flag, string takes, bool atRunTime, string help, Func<EmulatorOptions, string> get, Action<EmulatorOptions, string> set, bool secret = false) =>
        new(flag, takes, atRunTime, help, text => (text.Length > 0, text), get, set) { Secret = secret };

    private static EmulatorKnob<int> Whole(string flag, int max, string help, Func<EmulatorOptions, int> get, Action<EmulatorOptions, int> set) =>
        new(flag, $"a whole number from 0 to {max}", true, help, text => WholeNumber(text, max) is int v ? (true, v) : (false, 0), get, set);

    private static EmulatorKnob<double> Number(string flag, double max, string help, Func<EmulatorOptions, double> get, Action<EmulatorOptions, double> set) =>
        new(flag, $"a number from 0 to {max.ToString(CultureInfo.InvariantCulture)}", true, help, text => Between(text, max) is double v ? (true, v) : (false, 0), get, set);

    private static EmulatorKnob<double> Fraction(string flag, string help, Func<EmulatorOptions, double> get, Action<EmulatorOptions, double> set) =>
        new(flag, "a fraction from 0 to 1", true, help, text => Between(text, 1) is double v ? (true, v) : (false, 0), get, set);

    private static EmulatorKnob<bool> Switch(string flag, string help, Func<EmulatorOptions, bool> get, Action<EmulatorOptions, bool> set) =>
        new(flag, "true or false", true, help, text => bool.TryParse(text, out bool v) ? (true, v) : (false, false), get, set);

    private static double? Between(string text, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 && v <= max ? v : null;

    internal static int? WholeNumber(string text, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= max ? v : null;
}
