using Sobot.Client.Receiver;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Query;

/// <summary>
/// The long polls waiting on this receiver: at most <see cref="ReceiverOptions.MaxWaits"/> at a time (one more is
/// refused, and <see cref="EventEndpoints"/> answers it 429), each woken only by a committed event its filter matches.
/// <para>
/// One tail reader follows the store behind its commit signal: it reads the filter fields of each batch of new events
/// once (<see cref="IEventStore.ReadEventKeysAsync"/>, never their bodies), wherever they were committed (this
/// receiver, or another on the same PostgreSQL database), and wakes the polls that one of them matches. A poll that
/// nothing matches costs no read at all, however busy ingest is. Before, every commit woke every waiting poll and each
/// read the store again (once per 50 ms under a stream of webhooks): 1,500 polls that never matched took ingest from
/// 436 to 35 posts a second.
/// </para>
/// <para>
/// No wake is lost: a poll is registered before its first read, with the head it read before that. While polls wait
/// the tail is at or past the head of the first of them, so every event the tail has not read yet is read later,
/// while the poll is registered; every event it has read was committed before, so the poll's own read sees it.
/// </para>
/// </summary>
public sealed class LongPolls : BackgroundService
{
    /// <summary>What a 429 asks: a poll ends as soon as an event matches it or its wait is over, so room comes back soon.</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>The tail reads at most once per this long under a stream of commits (the commits in between are in its next read).</summary>
    public static readonly TimeSpan Coalescing = TimeSpan.FromMilliseconds(50);

    private readonly IEventStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger<LongPolls> _log;
    private readonly object _gate = new();
    private readonly HashSet<Poll> _waiting = [];
    private int _taken;
    /// <summary>The highest seq the tail has read (and matched against the polls then waiting); null while no poll waits.</summary>
    private long? _tail;

    public LongPolls(IEventStore store, ReceiverOptions options, TimeProvider clock, ILogger<LongPolls> log)
    {
        _store = store;
        _clock = clock;
        _log = log;
        Max = options.MaxWaits;
    }

    public int Max { get; }

    /// <summary>Polls holding a place now.</summary>
    public int Count => Volatile.Read(ref _taken);

    /// <summary>A place for one long poll, or null when <see cref="Max"/> are taken. Dispose it when the poll ends.</summary>
    public Poll? TryEnter()
    {
        if (Interlocked.Increment(ref _taken) <= Max) return new Poll(this);
        Interlocked.Decrement(ref _taken);
        return null;
    }

    private void Watch(Poll poll, long head)
    {
        lock (_gate)
        {
            _waiting.Add(poll);
            _tail ??= head;
        }
    }

    private void Leave(Poll poll)
    {
        lock (_gate)
        {
            if (_waiting.Remove(poll) && _waiting.Count == 0) _tail = null;
        }
        Interlocked.Decrement(ref _taken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var next = _store.Commits.NextCommit;
        try
        {
            while (true)
            {
                await next.WaitAsync(stoppingToken).ConfigureAwait(false);
                // Taken before the read: a commit landing during it is read next time round.
                next = _store.Commits.NextCommit;
                await ReadAndWakeAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Coalescing, _clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads what was committed past the tail and wakes each waiting poll that one of those events matches; nothing while no poll waits.</summary>
    private async Task ReadAndWakeAsync(CancellationToken cancellationToken)
    {
        long from;
        lock (_gate)
        {
            if (_tail is not long tail) return;
            from = tail;
        }
        try
        {
            while (true)
            {
                var events = await _store.ReadEventKeysAsync(from, EventQuery.MaxLimit, cancellationToken).ConfigureAwait(false);
                if (events.Count == 0) return;
                from = events[^1].Seq;
                lock (_gate)
                {
                    foreach (var poll in _waiting)
                        if (events.Any(poll.Matches)) poll.Woken.Pulse();
                    // Null when every poll left meanwhile; a poll that came since started the tail at its head or later.
                    if (_tail is long tail) _tail = Math.Max(tail, from);
                }
                if (events.Count < EventQuery.MaxLimit) return;
            }
        }
        catch (StoreUnavailableException ex)
        {
            // The tail stays where it was and is read again at the next commit; meanwhile the polls wait out their time
            // and their last read answers (or says the store is unavailable).
            _log.LogDebug("Long polls not woken: {Reason}", ex.Message);
        }
    }

    /// <summary>One long poll's place: <see cref="Watch"/> it before its first read, wait on <see cref="Woken"/>, dispose at the end.</summary>
    public sealed class Poll : IDisposable
    {
        private readonly LongPolls _owner;
        private EventQuery? _query;
        /// <summary>For each queryable field the query filters on: its place in <see cref="EventKeys.Values"/> and the values that match.</summary>
        private (int Index, HashSet<string> Values)[] _fields = [];
        private int _disposed;

        internal Poll(LongPolls owner) => _owner = owner;

        /// <summary>Pulsed when a committed event matches the poll's query. Take <see cref="CommitSignal.NextCommit"/> before each read.</summary>
        public CommitSignal Woken { get; } = new();

        /// <param name="head">The store's head, read before the poll's first read: every event at or below it is in that read.</param>
        public void Watch(EventQuery query, long head)
        {
            _query = query;
            _fields = ReceiverQueryFields.All
                .Select((field, index) => (index, values: query.ValuesOf(field)))
                .Where(f => f.values != null)
                .Select(f => (f.index, new HashSet<string>(f.values!, StringComparer.Ordinal)))
                .ToArray();
            _owner.Watch(this, head);
        }

        /// <summary>The store's filter (<see cref="IEventStore.ReadEventsAsync"/>), in memory.</summary>
        internal bool Matches(EventKeys e) => _query is { } q
            && e.Seq > q.After
            && (q.Kind is not EventKind kind || e.Kind == kind)
            && _fields.All(f => e.Values[f.Index] is string value && f.Values.Contains(value))
            // In whole milliseconds, as the stores compare it.
            && (q.Since is not DateTimeOffset since || e.EffectiveAt.ToUnixTimeMilliseconds() >= since.ToUnixTimeMilliseconds());

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) _owner.Leave(this);
        }
    }
}
