namespace Sobot.Receiver.Store;

/// <summary>
/// Everything the receiver keeps. Narrow on purpose: the SQLite store is the embedded default and a PostgreSQL
/// store implements the same contract (the tests in EventStoreContract and OptOutAndWindowContract hold every
/// implementation to it).
/// Every method throws <see cref="StoreUnavailableException"/> when the store cannot answer.
///
/// Numbers given to the opt-out and window methods are keyed by <see cref="NumberKey"/> (the client's canonical
/// form); one that is not a number is an <see cref="ArgumentException"/>. Every time a decision depends on is the
/// effective time of <see cref="EffectiveTime"/>.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Pulsed after every commit that stored at least one new event.</summary>
    CommitSignal Commits { get; }

    /// <summary>
    /// Stores the raw body and its events in one transaction and returns only once it is durable (it survives a
    /// process kill and a power cut). Events whose <see cref="NewEvent.DedupKey"/> is already stored are skipped.
    /// Each event is stored with its effective time. In the same transaction, each new inbound event with a number
    /// updates that number's last inbound message (the latest by effective time) and applies its
    /// <see cref="NewEvent.Consent"/>: a stop or start counts only when its effective time is at or after the number's
    /// latest decision (an earlier stop or start, or a manual add or remove), and then becomes that decision.
    /// </summary>
    Task<AppendResult> AppendAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>Events with seq &gt; <see cref="EventQuery.After"/> matching the filters, in seq order.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The filter fields (<see cref="EventKeys"/>) of at most <paramref name="limit"/> events with seq &gt; <paramref name="after"/>,
    /// in seq order: what the waiting long polls are matched against after a commit, without reading the events' fields or raw text.
    /// </summary>
    Task<IReadOnlyList<EventKeys>> ReadEventKeysAsync(long after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The highest seq committed (0 for an empty store). Read before a page's events, it is a safe start for a long
    /// poll: every event at or below it was visible to that page's read, and every later commit takes a higher seq.
    /// </summary>
    Task<long> GetHeadAsync(CancellationToken cancellationToken = default);

    Task<MessageStatusRecord?> GetStatusAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>The statuses of those ids that have one; ids without a status are left out.</summary>
    Task<IReadOnlyList<MessageStatusRecord>> GetStatusesAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default);

    /// <summary>Null for a consumer never set and not leased. A lease is shown only while it is live.</summary>
    Task<ConsumerPosition?> GetConsumerAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the position. Refused with <see cref="ConsumerLeasedException"/> while another reader holds a live lease:
    /// one whose holder is not <paramref name="holder"/> (any live lease when <paramref name="holder"/> is null).
    /// </summary>
    Task<ConsumerPosition> SetConsumerAsync(string name, long position, string? holder = null, CancellationToken cancellationToken = default);

    /// <summary>Consumers with a position or a live lease, by name.</summary>
    Task<IReadOnlyList<ConsumerPosition>> ListConsumersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// One reader per consumer at a time: grants the lease for <paramref name="ttl"/> from the store's clock when it is
    /// free, has run out, or is already <paramref name="holder"/>'s (a renewal); otherwise
    /// <see cref="ConsumerLeasedException"/> naming who holds it. Atomic across every receiver on the store.
    /// </summary>
    Task<ConsumerPosition> LeaseConsumerAsync(string name, string holder, string description, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up; nothing happens when <paramref name="holder"/> does not hold it.</summary>
    Task ReleaseConsumerAsync(string name, string holder, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a consumer and its lease; true when there was one. Refused with <see cref="ConsumerLeasedException"/>
    /// under the same rule as <see cref="SetConsumerAsync"/>.
    /// </summary>
    Task<bool> DeleteConsumerAsync(string name, string? holder = null, CancellationToken cancellationToken = default);

    /// <summary>Null when the number is not on the suppression list.</summary>
    Task<OptOutRecord?> GetOptOutAsync(string customerNumber, CancellationToken cancellationToken = default);

    /// <summary>The whole suppression list, by number.</summary>
    Task<IReadOnlyList<OptOutRecord>> ListOptOutsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts a number on the list by hand; always applies, and the number's decision time becomes <paramref name="since"/>
    /// (the caller's now) whatever was kept before, so a later message counts from there.
    /// Idempotent: a number already on the list keeps its first <c>Since</c> and <c>Source</c>, and that record is returned.
    /// </summary>
    Task<OptOutRecord> AddOptOutAsync(string customerNumber, string source, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a number off the list by hand; the number's decision time becomes the store's clock now, whatever was
    /// kept before. True when it was on the list.
    /// </summary>
    Task<bool> RemoveOptOutAsync(string customerNumber, CancellationToken cancellationToken = default);

    /// <summary>The last inbound message of each of those numbers that has one; numbers without one are left out.</summary>
    Task<IReadOnlyList<LastInboundRecord>> GetLastInboundAsync(IReadOnlyCollection<string> customerNumbers, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes up to <paramref name="maxRows"/> events (and as many bodies) received before <paramref name="receivedBefore"/>,
    /// oldest first, in one short transaction; returns how many rows went. Seqs of pruned events are never reused.
    /// </summary>
    Task<int> PruneAsync(DateTimeOffset receivedBefore, int maxRows, CancellationToken cancellationToken = default);

    Task<StoreHealth> GetHealthAsync(CancellationToken cancellationToken = default);
}
