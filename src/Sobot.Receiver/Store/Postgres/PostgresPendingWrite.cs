using Npgsql;

namespace Sobot.Receiver.Store.Postgres;

/// <summary>A write to the PostgreSQL store: a delivery to append (batched with its neighbours), or another write to run in the batch's transaction.</summary>
internal sealed class PostgresPendingWrite(WebhookDelivery? delivery, Func<NpgsqlConnection, NpgsqlTransaction, Task<object>>? apply, bool underSeqLock = false)
    : PendingWrite(addsEvents: delivery != null, alone: false)
{
    /// <summary>A webhook to append (batched with its neighbours), or null for a write of another kind.</summary>
    public WebhookDelivery? Delivery { get; } = delivery;
    public Func<NpgsqlConnection, NpgsqlTransaction, Task<object>>? Apply { get; } = apply;

    /// <summary>
    /// A write to the tables appends also maintain (opt-outs, decisions): it takes the seq lock itself, and the writer
    /// runs it after the appends, so in any transaction every row lock taken outside the seq lock comes before it.
    /// </summary>
    public bool UnderSeqLock { get; } = underSeqLock;
}
