namespace Sobot.Receiver.Store;

/// <summary>
/// Everything the receiver keeps. Narrow on purpose: the SQLite store is the embedded default and a PostgreSQL
/// store implements the same contract (the tests in EventStoreContract and OptOutAndWindowContract hold every
/// implementation to it).
/// Every method throws <see cref="StoreUnavailableException"/> when the store cannot answer.
///
/// Numbers given to the opt-out and window methods are normalised by <see cref="CustomerNumbers"/> (digits only);
/// one that cannot be is an <see cref="ArgumentException"/>.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Pulsed after every commit that stored at least one new event.</summary>
    CommitSignal Commits { get; }

    /// <summary>
    /// Stores the raw body and its events in one transaction and returns only once it is durable (it survives a
    /// process kill and a power cut). Events whose <see cref="NewEvent.DedupKey"/> is already stored are skipped.
    /// In the same transaction, each new inbound event with a normalisable number updates that number's last inbound
    /// message (the latest by the message's own time, arrival time when it has none) and applies its
    /// <see cref="NewEvent.Consent"/>: a stop or start counts only when its message time is at or after the number's
    /// latest decision (an earlier stop or start, or a manual add or remove), and then becomes that decision.
    /// </summary>
    Task<AppendResult> AppendAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>Events with seq &gt; <see cref="EventQuery.After"/> matching the filters, in seq order.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default);

    Task<MessageStatusRecord?> GetStatusAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>The statuses of those ids that have one; ids without a status are left out.</summary>
    Task<IReadOnlyList<MessageStatusRecord>> GetStatusesAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default);

    /// <summary>Null for a consumer never set.</summary>
    Task<ConsumerPosition?> GetConsumerAsync(string name, CancellationToken cancellationToken = default);

    Task<ConsumerPosition> SetConsumerAsync(string name, long position, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ConsumerPosition>> ListConsumersAsync(CancellationToken cancellationToken = default);

    /// <summary>Null when the number is not on the suppression list.</summary>
    Task<OptOutRecord?> GetOptOutAsync(string customerNumber, CancellationToken cancellationToken = default);

    /// <summary>The whole suppression list, by number.</summary>
    Task<IReadOnlyList<OptOutRecord>> ListOptOutsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts a number on the list by hand; always applies, and counts as a decision at <paramref name="since"/>.
    /// Idempotent: a number already on the list keeps its first <c>Since</c> and <c>Source</c>, and that record is returned.
    /// </summary>
    Task<OptOutRecord> AddOptOutAsync(string customerNumber, string source, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Takes a number off the list by hand (a decision at the store's clock now); true when it was on it.</summary>
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
