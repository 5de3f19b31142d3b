using System.Net;
using Sobot.Receiver.Store;

namespace Sobot.Receiver;

/// <summary>Command-line settings of the receiver. Unknown switches are an error, so a typo is never silently ignored.</summary>
public sealed class ReceiverOptions
{
    public const string TokenVariable = "SOBOT_RECEIVER_TOKEN";
    public const string QueryKeyVariable = "SOBOT_RECEIVER_KEY";
    public const string CertificatePasswordVariable = "SOBOT_RECEIVER_CERTIFICATE_PASSWORD";
    public const string ConnectionStringVariable = "SOBOT_RECEIVER_CONNECTION_STRING";

    public IReadOnlyList<ListenAddress> IngressUrls { get; set; } = [new ListenAddress(false, "127.0.0.1", 8080)];
    public IReadOnlyList<ListenAddress> QueryUrls { get; set; } = [new ListenAddress(false, "127.0.0.1", 8081)];
    public string StorePath { get; set; } = "sobot-events.db";
    /// <summary><c>--store postgres</c>: the events live in PostgreSQL, shared by every receiver given the same database.</summary>
    public bool UsePostgres { get; set; }
    public string? ConnectionString { get; set; }
    public string? ConnectionStringFile { get; set; }
    /// <summary>Events older than this many days are pruned in the background; null keeps everything.</summary>
    public int? RetentionDays { get; set; }
    public string? Token { get; set; }
    public string? TokenFile { get; set; }
    public string? QueryKey { get; set; }
    public string? QueryKeyFile { get; set; }
    /// <summary>Networks allowed to reach the ingress listener; empty = everyone.</summary>
    public IReadOnlyList<IPNetwork> AllowIp { get; set; } = [];
    /// <summary>Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; empty = such headers are ignored.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; set; } = [];
    public string? CertificatePath { get; set; }
    public string? CertificateKeyPath { get; set; }
    public string? CertificatePasswordFile { get; set; }
    /// <summary>Print the ready line (with the secrets) on stdout and send logs to stderr.</summary>
    public bool Handshake { get; set; }
    public bool JsonLogs { get; set; }
    /// <summary>Stop when this process ends: a receiver started for one PowerShell session ends with it, crash included.</summary>
    public int? ExitWithPid { get; set; }
    public LogLevel LogLevel { get; set; } = LogLevel.Information;
    /// <summary>The stop and start words inbound messages are judged by (whole text, any case).</summary>
    public ConsentWords ConsentWords { get; set; } = ConsentWords.Default;
    /// <summary>Long polls (waitMs) allowed to wait at once; one more is answered 429 with Retry-After.</summary>
    public int MaxWaits { get; set; } = DefaultMaxWaits;
    public const int DefaultMaxWaits = 256;
    /// <summary>How often refused requests are summed up in the log (<see cref="RefusalLog"/>); shorter only for tests.</summary>
    public TimeSpan RefusalSummaryInterval { get; set; } = TimeSpan.FromMinutes(1);

    public static string Usage => $"""
        Sobot webhook receiver: stores every webhook Sobot posts, durably, and serves them to scripts.

        Usage: Sobot.Receiver [options]
               Sobot.Receiver copy-store --from FILE --to-connection-string-file FILE
                                    (copies a SQLite store into PostgreSQL; copy-store --help)

          --ingress-urls URLS       where Sobot posts (comma-separated; default http://127.0.0.1:8080).
                                    Only POST /webhook/<token> and GET /healthz answer there.
          --query-urls URLS         the query API for scripts (default http://127.0.0.1:8081); every
                                    request needs the header x-receiver-key.
          --store PATH              the SQLite file (default ./sobot-events.db); created when missing
          --store postgres          keep the events in PostgreSQL instead; several receivers on one database
                                    form one service. The Npgsql connection string comes from:
          --connection-string-file PATH
                                    a file holding the connection string (keep it owner-readable), or
                                    {ConnectionStringVariable} in the environment, or
          --connection-string TEXT  on the command line, where other users of the machine can read it
                                    (ps, /proc): avoid it when the string holds a password
          --retention-days N        prune events received more than N days ago, in small batches in the
                                    background (default: keep everything)
          --token TOKEN             the secret path segment of the webhook URL
          --token-file PATH         read the token from a file; a missing file is created with a new token
          --query-key KEY           the x-receiver-key the query API accepts
          --query-key-file PATH     read the query key from a file; created with a new key when missing
                                    (also {TokenVariable} and {QueryKeyVariable} in the environment)
          --allow-ip CIDRS          only these networks may reach the ingress (e.g. 203.0.113.0/24,10.0.0.5);
                                    others get 403
          --trusted-proxy CIDRS     believe X-Forwarded-For/-Proto only from these reverse proxies
          --certificate PATH        TLS certificate for https:// URLs: PEM (with --certificate-key) or PFX
          --certificate-key PATH    the PEM private key of --certificate
          --certificate-password-file PATH
                                    password of the PFX or of an encrypted PEM key
                                    (or {CertificatePasswordVariable})
          --stop-words WORDS        an inbound message whose whole text (trimmed, any case) is one of these
                                    comma-separated words puts its number on the opt-out list
                                    (default "STOP,UNSUBSCRIBE,STOP ALL,CANCEL")
          --start-words WORDS       the same for taking a number off the list (default "START")
          --exit-with-pid PID       stop when process PID ends (Start-SobotReceiver passes its own)
          --handshake               print one JSON line on stdout when ready, with the URLs, token and
                                    query key (for a launcher); logs then go to stderr. Without it, a
                                    token and key must be given (option, file or environment).
          --log-format simple|json  console log format (default simple)
          --log-level LEVEL         debug, information (default), warning, error or none
          --max-waits N             long polls (waitMs) that may wait at once (default {DefaultMaxWaits}); one more
                                    is answered 429 with Retry-After
          --help                    this text

        A SQLite store serves one receiver: a second receiver on the same file is refused.
        Exit codes: 0 after a clean stop; 1 when it could not start (a port in use, a folder it cannot write,
        a store in use or unreadable, a bad certificate: one line on stderr names the path or port);
        2 for a command-line mistake.
        """;

    public static ReceiverOptions Parse(IReadOnlyList<string> args)
    {
        var o = new ReceiverOptions();
        IReadOnlyList<string> stopWords = ConsentWords.DefaultStopWords, startWords = ConsentWords.DefaultStartWords;
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
                case "--ingress-urls": o.IngressUrls = ListenAddress.ParseList(name, Value()); break;
                case "--query-urls": o.QueryUrls = ListenAddress.ParseList(name, Value()); break;
                case "--store":
                    string store = NotEmpty(name, Value());
                    // A SQLite file that happens to be called postgres can still be named as ./postgres.
                    if (store.Equals("postgres", StringComparison.OrdinalIgnoreCase) || store.Equals("postgresql", StringComparison.OrdinalIgnoreCase)) o.UsePostgres = true;
                    else o.StorePath = store;
                    break;
                case "--connection-string": o.ConnectionString = NotEmpty(name, Value()); break;
                case "--connection-string-file": o.ConnectionStringFile = NotEmpty(name, Value()); break;
                case "--retention-days":
                    o.RetentionDays = int.TryParse(Value(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int days) && days > 0
                        ? days : throw new ArgumentException($"{name} needs a whole number of days, 1 or more.");
                    break;
                case "--token": o.Token = NotEmpty(name, Value()); break;
                case "--token-file": o.TokenFile = NotEmpty(name, Value()); break;
                case "--query-key": o.QueryKey = NotEmpty(name, Value()); break;
                case "--query-key-file": o.QueryKeyFile = NotEmpty(name, Value()); break;
                case "--allow-ip": o.AllowIp = [.. o.AllowIp, .. Networks(name, Value())]; break;
                case "--trusted-proxy": o.TrustedProxies = [.. o.TrustedProxies, .. Networks(name, Value())]; break;
                case "--certificate": o.CertificatePath = NotEmpty(name, Value()); break;
                case "--certificate-key": o.CertificateKeyPath = NotEmpty(name, Value()); break;
                case "--certificate-password-file": o.CertificatePasswordFile = NotEmpty(name, Value()); break;
                case "--stop-words": stopWords = ConsentWords.ParseList(name, Value()); break;
                case "--start-words": startWords = ConsentWords.ParseList(name, Value()); break;
                case "--handshake": o.Handshake = true; break;
                case "--exit-with-pid":
                    o.ExitWithPid = int.TryParse(Value(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) && pid > 0
                        ? pid : throw new ArgumentException($"{name} needs a process id.");
                    break;
                case "--log-format":
                    o.JsonLogs = Value().ToLowerInvariant() switch
                    {
                        "json" => true,
                        "simple" => false,
                        var other => throw new ArgumentException($"--log-format takes simple or json; got '{other}'."),
                    };
                    break;
                case "--log-level":
                    o.LogLevel = Value().ToLowerInvariant() switch
                    {
                        "debug" => LogLevel.Debug,
                        "information" or "info" => LogLevel.Information,
                        "warning" => LogLevel.Warning,
                        "error" => LogLevel.Error,
                        "none" => LogLevel.None,
                        var other => throw new ArgumentException($"--log-level takes debug, information, warning, error or none; got '{other}'."),
                    };
                    break;
                case "--max-waits": o.MaxWaits = Whole(name, Value(), 1, 100_000); break;
                // Not in --help: tests shorten the once-a-minute summary of refused requests.
                case "--refusal-summary-seconds": o.RefusalSummaryInterval = TimeSpan.FromSeconds(Whole(name, Value(), 1, 3600)); break;
                default: throw new ArgumentException($"Unknown option '{name}'. Use --help.");
            }
        }
        o.ConsentWords = new ConsentWords(stopWords, startWords);
        if (o.Token != null && o.TokenFile != null) throw new ArgumentException("Give --token or --token-file, not both.");
        if (o.QueryKey != null && o.QueryKeyFile != null) throw new ArgumentException("Give --query-key or --query-key-file, not both.");
        if (o.ConnectionString != null && o.ConnectionStringFile != null) throw new ArgumentException("Give --connection-string or --connection-string-file, not both.");
        if (!o.UsePostgres && (o.ConnectionString != null || o.ConnectionStringFile != null))
            throw new ArgumentException("A connection string is for --store postgres; without it the store is a SQLite file.");
        var ports = o.IngressUrls.Concat(o.QueryUrls).Where(a => a.Port != 0).GroupBy(a => a.Port).FirstOrDefault(g => g.Count() > 1);
        if (ports != null) throw new ArgumentException($"Port {ports.Key} is given twice: the ingress and the query API need listeners of their own.");
        if (o.IngressUrls.Concat(o.QueryUrls).Any(a => a.Https) && o.CertificatePath == null)
            throw new ArgumentException("An https:// URL needs --certificate.");
        return o;
    }

    /// <summary>The PostgreSQL connection string: option, file, then environment.</summary>
    public string ResolveConnectionString(Func<string, string?> environment)
    {
        if (ConnectionString != null) return ConnectionString;
        if (ConnectionStringFile != null)
        {
            string text = File.ReadAllText(ConnectionStringFile).Trim();
            return text.Length > 0 ? text : throw new ArgumentException($"The connection string file {ConnectionStringFile} is empty.");
        }
        string? fromEnvironment = environment(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment.Trim();
        throw new ArgumentException($"--store postgres needs a connection string: --connection-string-file PATH or {ConnectionStringVariable}.");
    }

    private static int Whole(string name, string text, int min, int max) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n : throw new ArgumentException($"{name} needs a whole number from {min:N0} to {max:N0}.");

    private static string NotEmpty(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} needs a value.") : value;

    /// <summary>CIDR blocks or single addresses (a single address is its own /32 or /128).</summary>
    public static IEnumerable<IPNetwork> Networks(string name, string text)
    {
        var list = new List<IPNetwork>();
        foreach (var part in text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(part, out var network)) list.Add(network);
            else if (IPAddress.TryParse(part, out var ip)) list.Add(new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else throw new ArgumentException($"{name}: '{part}' is neither a CIDR block (10.0.0.0/8) nor an IP address.");
        }
        return list.Count > 0 ? list : throw new ArgumentException($"{name} needs at least one address.");
    }
}
