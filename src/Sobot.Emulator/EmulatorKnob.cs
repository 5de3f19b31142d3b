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
    /// <summary>
    /// A secret (a key, a webhook URL that ends with a receiver's token): also read from the environment variable
    /// <see cref="Variable"/>, since a command line is visible to every user of the machine (<c>ps</c>, <c>/proc</c>).
    /// </summary>
    public bool Secret { get; init; }
    /// <summary>The environment variable of a secret knob (<c>SOBOT_EMULATOR_WEBHOOK_URL</c>), or null. The command line wins over it.</summary>
    public string? Variable => Secret ? "SOBOT_EMULATOR_" + Field.ToUpperInvariant() : null;

    /// <summary>Sets the knob from command-line text; <see cref="ArgumentException"/> when the text does not fit.</summary>
    public void SetFromText(EmulatorOptions options, string text)
    {
        if (!TrySet(options, text)) throw new ArgumentException($"{Flag} takes {Takes}; got '{text}'.");
    }

    /// <summary>Sets the knob from its environment variable; the message names the variable and never repeats the value.</summary>
    public void SetFromEnvironment(EmulatorOptions options, string text)
    {
        if (!TrySet(options, text)) throw new ArgumentException($"The environment variable {Variable} ({Flag}) takes {Takes}.");
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
