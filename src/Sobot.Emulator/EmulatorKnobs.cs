using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sobot.Emulator;

/// <summary>
/// One setting of the emulator, declared once: its command-line flag (<c>--fail-rate</c>), the JSON field
/// <c>/_emulator/faults</c> shows and sets (<c>fail_rate</c>, the flag without dashes), what it takes, and
/// how it lands on <see cref="EmulatorOptions"/>. The parser, the usage text and the faults endpoint all
/// read <see cref="EmulatorKnobs.All"/>.
/// </summary>
public abstract class EmulatorKnob(string flag, string takes, bool atRunTime, string help)
{
    public string Flag { get; } = flag;
    /// <summary>The JSON field of <c>/_emulator/faults</c>.</summary>
    public string Field { get; } = flag.TrimStart('-').Replace('-', '_');
    /// <summary>What the value must be, as the error messages and the usage text say it.</summary>
    public string Takes { get; } = takes;
    /// <summary>Whether <c>POST /_emulator/faults</c> may change it while the emulator runs (else start-up only).</summary>
    public bool AtRunTime { get; } = atRunTime;
    public string Help { get; } = help;
    /// <summary>A switch takes no value on the command line (its presence means true) and true/false in JSON.</summary>
    public virtual bool IsSwitch => false;

    /// <summary>Sets the knob from command-line text; <see cref="ArgumentException"/> when the text does not fit.</summary>
    public void SetFromText(EmulatorOptions options, string text)
    {
        if (!TrySet(options, text)) throw new ArgumentException($"{Flag} takes {Takes}; got '{text}'.");
    }

    /// <summary>Sets the knob from a JSON value; <see cref="BadRequestException"/> when it does not fit.</summary>
    public void SetFromJson(EmulatorOptions options, JsonNode? node)
    {
        if (JsonText(node) is not { } text || !TrySet(options, text))
            throw new BadRequestException($"Field '{Field}' takes {Takes}; got {node?.ToJsonString() ?? "null"}.");
    }

    public abstract object? Read(EmulatorOptions options);

    protected abstract bool TrySet(EmulatorOptions options, string text);

    /// <summary>A JSON value as the command line would have spelled it: numbers and strings as they are, arrays joined by commas, objects as key=value pairs.</summary>
    private static string? JsonText(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        JsonArray a when a.All(i => i is JsonValue s && s.GetValueKind() == JsonValueKind.String && !s.GetValue<string>().Contains(',')) =>
            string.Join(',', a.Select(i => i!.GetValue<string>())),
        JsonObject o when o.All(p => p.Value is JsonValue n && n.GetValueKind() == JsonValueKind.Number) =>
            string.Join(',', o.Select(p => $"{p.Key}={p.Value!.ToJsonString()}")),
        _ => null,
    };
}

/// <summary>A knob of type <typeparamref name="T"/>: a parse rule plus where it lives on the options.</summary>
public sealed class EmulatorKnob<T>(string flag, string takes, bool atRunTime, string help,
    Func<string, (bool Ok, T Value)> parse, Func<EmulatorOptions, T> get, Action<EmulatorOptions, T> set, Func<T, object?>? show = null)
    : EmulatorKnob(flag, takes, atRunTime, help)
{
    public override bool IsSwitch => typeof(T) == typeof(bool);

    public override object? Read(EmulatorOptions options) => show is null ? get(options) : show(get(options));

    protected override bool TrySet(EmulatorOptions options, string text)
    {
        var (ok, value) = parse(text);
        if (ok) set(options, value);
        return ok;
    }
}

/// <summary>Every emulator setting, in the order <c>--help</c> lists them.</summary>
public static class EmulatorKnobs
{
    public static readonly IReadOnlyList<EmulatorKnob> All =
    [
        Text("--urls", "a URL", false, "where to listen (default http://127.0.0.1:5080; port 0 picks a free port)", o => o.Urls, (o, v) => o.Urls = v),
        Text("--access-key", "a key", false, "the x-api-key it accepts (default demo-access-key; change it later with POST /_emulator/keys)", o => o.AccessKey, (o, v) => o.AccessKey = v),
        Text("--secret-key", "a key", false, "the x-api-secret it accepts (default demo-secret-key)", o => o.SecretKey, (o, v) => o.SecretKey = v),
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
            o => o.WebhookUrl, (o, v) => o.WebhookUrl = v),
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
        + (k.AtRunTime ? $" Run time: {k.Field}." : "")));

    private static EmulatorKnob<string> Text(string flag, string takes, bool atRunTime, string help, Func<EmulatorOptions, string> get, Action<EmulatorOptions, string> set) =>
        new(flag, takes, atRunTime, help, text => (text.Length > 0, text), get, set);

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

/// <summary>How long each status webhook waits after the step before it, in milliseconds.</summary>
public sealed record StatusDelays(int Sent, int Delivered, int Read)
{
    public static readonly StatusDelays None = new(0, 0, 0);

    /// <summary>One number for every step ("250"), or named steps ("sent=100,delivered=300,read=1000"; a step left out waits 0).</summary>
    public static bool TryParse(string text, out StatusDelays delays)
    {
        delays = None;
        const int max = 3_600_000;
        if (EmulatorKnobs.WholeNumber(text.Trim(), max) is int all)
        {
            delays = new StatusDelays(all, all, all);
            return true;
        }
        var named = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0].ToLowerInvariant() is not ("sent" or "delivered" or "read") || named.ContainsKey(pair[0])
                || EmulatorKnobs.WholeNumber(pair[1], max) is not int ms)
                return false;
            named[pair[0]] = ms;
        }
        delays = new StatusDelays(named.GetValueOrDefault("sent"), named.GetValueOrDefault("delivered"), named.GetValueOrDefault("read"));
        return true;
    }
}
