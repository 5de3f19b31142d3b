namespace Sobot.Receiver.Store;

/// <summary>
/// Everything the receiver keeps. Narrow on purpose: the SQLite store is the embedded default and a PostgreSQL
/// store implements the same contract (opt-outs and conversation windows grow here as further methods).
/// Every method throws <see cref="StoreUnavailableException"/> when the store cannot answer.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Pulsed after every commit that stored at least one new event.</summary>
    CommitSignal Commits { get; }

    /// <summary>
    /// Stores the raw body and its events in one transaction and returns only once it is durable (it survives a
    /// process kill and a power cut). Events whose <see cref="NewEvent.DedupKey"/> is already stored are skipped.
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

    /// <summary>
    /// Deletes up to <paramref name="maxRows"/> events (and as many bodies) received before <paramref name="receivedBefore"/>,
    /// oldest first, in one short transaction; returns how many rows went. Seqs of pruned events are never reused.
    /// </summary>
    Task<int> PruneAsync(DateTimeOffset receivedBefore, int maxRows, CancellationToken cancellationToken = default);

    Task<StoreHealth> GetHealthAsync(CancellationToken cancellationToken = default);
}
