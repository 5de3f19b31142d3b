using System.Net;
using Sobot.Client.Receiver;

namespace Sobot.Receiver;

/// <summary>
/// Refused requests cost a counter, not a log line: each kind is summed up in one line per interval (a minute unless
/// --refusal-summary-seconds says otherwise), naming the address that sent most of them and how many others did, and
/// each refusal is logged on its own only at Debug. A flood of wrong tokens from one local client used to write a
/// line per request (about 2 GB of log an hour); now it writes one a minute. No line holds a token, a key or a path.
/// </summary>
public sealed class RefusalLog : BackgroundService
{
    /// <summary>Distinct addresses kept per kind and interval; past it, the others are only known to be more.</summary>
    private const int MaxAddresses = 1024;

    private static readonly Dictionary<Refusal, (string One, string Many, LogLevel Level)> Kinds = new()
    {
        [Refusal.WrongToken] = ("webhook post with a wrong token", "webhook posts with a wrong token", LogLevel.Information),
        [Refusal.WrongMethod] = ("request with a method its path does not take", "requests with a method their path does not take", LogLevel.Information),
        [Refusal.UnknownPath] = ("request for a path that does not exist", "requests for a path that does not exist", LogLevel.Information),
        [Refusal.NotAllowed] = ("ingress request from outside --allow-ip", "ingress requests from outside --allow-ip", LogLevel.Warning),
        [Refusal.TooLarge] = ("webhook post with a body over 3 MB", "webhook posts with a body over 3 MB", LogLevel.Warning),
        [Refusal.WrongQueryKey] = ("query API request without the right x-receiver-key", "query API requests without the right x-receiver-key", LogLevel.Warning),
        [Refusal.TooManyWaits] = ("long poll over --max-waits (answered 429)", "long polls over --max-waits (answered 429)", LogLevel.Warning),
    };

    private readonly ILogger<RefusalLog> _log;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _interval;
    private readonly Tally[] _tallies = Enum.GetValues<Refusal>().Select(_ => new Tally()).ToArray();
    private long _windowStart;

    public RefusalLog(ReceiverOptions options, TimeProvider clock, ILogger<RefusalLog> log)
    {
        _log = log;
        _clock = clock;
        _interval = options.RefusalSummaryInterval;
        _windowStart = clock.GetTimestamp();
    }

    /// <summary>Counts one refused request from <paramref name="from"/>; a line of its own only at Debug.</summary>
    public void Count(Refusal kind, IPAddress? from)
    {
        if (from is { IsIPv4MappedToIPv6: true }) from = from.MapToIPv4();
        _tallies[(int)kind].Add(from);
        if (_log.IsEnabled(LogLevel.Debug)) _log.LogDebug("Refused a {What} from {RemoteAddress}", Kinds[kind].One, Shown(from));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) Flush();
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // What was refused since the last summary is not lost with the stop.
        Flush();
    }

    /// <summary>Writes one line per kind refused since the last summary, and starts the next interval.</summary>
    public void Flush()
    {
        long now = _clock.GetTimestamp();
        var window = _clock.GetElapsedTime(Interlocked.Exchange(ref _windowStart, now), now);
        // A summary on time says "the last minute"; one written at a stop says how long it covers.
        string period = Math.Abs((window - _interval).TotalSeconds) < 2 && _interval == TimeSpan.FromMinutes(1) ? "minute" : Durations.Describe(window);
        foreach (var kind in Enum.GetValues<Refusal>())
        {
            var (count, top, others, capped) = _tallies[(int)kind].Take();
            if (count == 0) continue;
            var (one, many, level) = Kinds[kind];
            string also = others == 0 ? string.Empty : $" (and {(capped ? "more than " : string.Empty)}{others:N0} other address{(others == 1 && !capped ? string.Empty : "es")})";
            _log.Log(level, "Refused {Count:N0} {What} from {RemoteAddress}{OtherAddresses} in the last {Period}",
                count, count == 1 ? one : many, Shown(top), also, period);
        }
    }

    private static string Shown(IPAddress? address) => address?.ToString() ?? "an unknown address";

    /// <summary>One kind's count in the current interval, and how many came from each address (up to <see cref="MaxAddresses"/>).</summary>
    private sealed class Tally
    {
        private readonly object _gate = new();
        private Dictionary<IPAddress, long> _from = [];
        private long _count, _unknown;
        private bool _capped;

        public void Add(IPAddress? address)
        {
            lock (_gate)
            {
                _count++;
                if (address is null) _unknown++;
                else if (_from.TryGetValue(address, out long n)) _from[address] = n + 1;
                else if (_from.Count < MaxAddresses) _from[address] = 1;
                else _capped = true;
            }
        }

        /// <summary>The interval's count, the address most of it came from, how many other addresses sent some; and starts over.</summary>
        public (long Count, IPAddress? Top, long Others, bool Capped) Take()
        {
            lock (_gate)
            {
                var result = (_count, (IPAddress?)null, 0L, _capped);
                if (_count > 0)
                {
                    var top = _from.Count > 0 ? _from.MaxBy(p => p.Value) : default;
                    bool unknownLeads = top.Key is null || _unknown > top.Value;
                    long senders = _from.Count + (_unknown > 0 ? 1 : 0);
                    result = (_count, unknownLeads ? null : top.Key, senders - 1, _capped);
                }
                _count = _unknown = 0;
                _capped = false;
                if (_from.Count > 0) _from = [];
                return result;
            }
        }
    }
}
