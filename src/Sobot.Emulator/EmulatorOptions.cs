using System.Globalization;

namespace Sobot.Emulator;

/// <summary>Command-line settings of the emulator. Unknown switches are an error, so a typo is never silently ignored.</summary>
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
    /// <summary>API paths (prefixes) answered 500 every time, set through /_emulator/faults: one broken endpoint among working ones.</summary>
    public IReadOnlyList<string> FailPaths { get; set; } = Array.Empty<string>();

    /// <summary>Count accepted messages without storing them (long benchmarks).</summary>
    public bool NoRetain { get; set; }
    /// <summary>Turns the 24-hour rule off: free-form messages go to any number.</summary>
    public bool NoWindow { get; set; }
    public int? RandomSeed { get; set; }
    /// <summary>Where to post status and inbound webhooks; null = none.</summary>
    public string? WebhookUrl { get; set; }
    /// <summary>The business number inbound webhooks name as display_phone_number.</summary>
    public string BusinessNumber { get; set; } = "918788000000";

    public static string Usage => """
        Sobot API emulator: a local stand-in for https://api.sobot.in that speaks the documented contract.

        Options:
          --urls URL           where to listen (default http://127.0.0.1:5080; port 0 picks a free port)
          --access-key KEY     the x-api-key it accepts (default demo-access-key)
          --secret-key KEY     the x-api-secret it accepts (default demo-secret-key)
          --latency-ms N       delay added before every API response
          --rate-limit N       API requests per second; beyond it 429 with Retry-After
          --fail-rate F        fraction (0..1) of API requests answered 500
          --drop-rate F        fraction (0..1) of API requests processed, then answered by
                               closing the connection: the client cannot know the outcome
          --no-retain          count accepted messages without storing them (benchmarks)
          --no-window          turn off the 24-hour rule for free-form messages
          --seed N             seed of the random fault generator
          --webhook-url URL    post status webhooks (sent, delivered, read) for every accepted
                               message, and inbound-message webhooks, to this URL
          --help               this text
        """;

    public static EmulatorOptions Parse(IReadOnlyList<string> args)
    {
        var o = new EmulatorOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value.");
                return args[++i];
            }
            switch (name.ToLowerInvariant())
            {
                case "--urls": o.Urls = Value(); break;
                case "--access-key": o.AccessKey = Value(); break;
                case "--secret-key": o.SecretKey = Value(); break;
                case "--latency-ms": o.LatencyMs = NonNegativeInt(name, Value()); break;
                case "--rate-limit": o.RateLimit = NonNegative(name, Value()); break;
                case "--fail-rate": o.FailRate = Fraction(name, Value()); break;
                case "--no-window": o.NoWindow = true; break;
                case "--drop-rate": o.DropRate = Fraction(name, Value()); break;
                case "--no-retain": o.NoRetain = true; break;
                case "--seed": o.RandomSeed = NonNegativeInt(name, Value()); break;
                case "--webhook-url":
                    o.WebhookUrl = Value();
                    if (!Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out var hook) || (hook.Scheme != "http" && hook.Scheme != "https"))
                        throw new ArgumentException($"--webhook-url takes an absolute http(s) URL; got '{o.WebhookUrl}'.");
                    break;
                default: throw new ArgumentException($"Unknown option '{name}'. Use --help.");
            }
        }
        return o;
    }

    private static double NonNegative(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0
            ? v : throw new ArgumentException($"{name} takes a number >= 0; got '{text}'.");

    private static int NonNegativeInt(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v : throw new ArgumentException($"{name} takes a whole number >= 0; got '{text}'.");

    private static double Fraction(string name, string text)
    {
        double v = NonNegative(name, text);
        return v <= 1 ? v : throw new ArgumentException($"{name} takes a fraction from 0 to 1; got '{text}'.");
    }
}
