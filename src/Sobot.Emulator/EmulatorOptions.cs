namespace Sobot.Emulator;

/// <summary>
/// The settings of the emulator. Each is declared once in <see cref="EmulatorKnobs"/> (flag, JSON field, type);
/// unknown switches are an error, so a typo is never silently ignored.
/// </summary>
public sealed class EmulatorOptions
{
    public const string DefaultAccessKey = "demo-access-key";
    public const string DefaultSecretKey = "demo-secret-key";

    public string Urls { get; set; } = "http://127.0.0.1:5080";
    public string AccessKey { get; set; } = DefaultAccessKey;
    public string SecretKey { get; set; } = DefaultSecretKey;
    /// <summary>Added before every API response.</summary>
    public int LatencyMs { get; set; }
    /// <summary>API requests per second allowed; beyond it 429 with Retry-After. 0 = unlimited.</summary>
    public double RateLimit { get; set; }
    /// <summary>Fraction of API requests answered 500 after being read.</summary>
    public double FailRate { get; set; }
    /// <summary>Fraction of API requests processed in full, then answered by closing the connection (the ambiguous case).</summary>
    public double DropRate { get; set; }
    /// <summary>API paths (prefixes) answered 500 every time, from --fail-paths or /_emulator/faults: one broken endpoint among working ones.</summary>
    public IReadOnlyList<string> FailPaths { get; set; } = Array.Empty<string>();

    /// <summary>Count accepted messages without storing them (long benchmarks).</summary>
    public bool NoRetain { get; set; }
    /// <summary>Turns the 24-hour rule off: free-form messages go to any number.</summary>
    public bool NoWindow { get; set; }
    public int? RandomSeed { get; set; }
    /// <summary>Where to post status and inbound webhooks; null = none.</summary>
    public string? WebhookUrl { get; set; }
    /// <summary>The business number inbound webhooks name as display_phone_number, and a reply's context as its from.</summary>
    public string BusinessNumber { get; set; } = "918788000000";

    /// <summary>Delay before each status webhook, after the step before it.</summary>
    public StatusDelays StatusDelays { get; set; } = StatusDelays.None;
    /// <summary>Share of accepted messages that end failed (WhatsApp's 131026) instead of delivered.</summary>
    public double FailedRate { get; set; }
    /// <summary>Share of delivered messages that are then read.</summary>
    public double ReadRate { get; set; } = 1.0;

    public static string Usage =>
        "Sobot API emulator: a local stand-in for https://api.sobot.in that speaks the documented contract." + Environment.NewLine + Environment.NewLine +
        "Options (those with a run-time field can also be read and changed while it runs, through GET|POST /_emulator/faults):" + Environment.NewLine +
        EmulatorKnobs.Usage() + Environment.NewLine +
        "  --help" + Environment.NewLine + "      this text.";

    /// <summary>
    /// Reads the command line through <see cref="EmulatorKnobs.All"/>, after the environment variables of the secret
    /// knobs when <paramref name="environment"/> is given (the command line wins).
    /// </summary>
    public static EmulatorOptions Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        var o = new EmulatorOptions();
        foreach (var knob in EmulatorKnobs.All)
            if (knob.Variable is { } variable && environment?.Invoke(variable) is { Length: > 0 } text)
                knob.SetFromEnvironment(o, text);
        for (int i = 0; i < args.Count; i++)
        {
            var knob = EmulatorKnobs.FindFlag(args[i]) ?? throw new ArgumentException($"Unknown option '{args[i]}'. Use --help.");
            if (knob.IsSwitch) knob.SetFromText(o, "true");
            else if (i + 1 >= args.Count) throw new ArgumentException($"{knob.Flag} needs a value.");
            else knob.SetFromText(o, args[++i]);
        }
        return o;
    }
}
