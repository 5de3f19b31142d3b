using Npgsql;

namespace Sobot.Receiver.Store.Postgres;

/// <summary>One write waiting for the writer loop; its caller awaits <see cref="Done"/>, completed only after the commit.</summary>
internal sealed class PostgresPendingWrite
{
    public PostgresPendingWrite(WebhookDelivery? delivery, Func<NpgsqlConnection, NpgsqlTransaction, Task<object>>? apply, bool underSeqLock = false)
    {
        Delivery = delivery;
        Apply = apply;
        UnderSeqLock = underSeqLock;
    }

    /// <summary>A webhook to append (batched with its neighbours), or null for a write of another kind.</summary>
    public WebhookDelivery? Delivery { get; }
    public Func<NpgsqlConnection, NpgsqlTransaction, Task<object>>? Apply { get; }

    /// <summary>
    /// A write to the tables appends also maintain (opt-outs, decisions): it takes the seq lock itself, and the writer
    /// runs it after the appends, so in any transaction every row lock taken outside the seq lock comes before it.
    /// </summary>
    public bool UnderSeqLock { get; }
    public TaskCompletionSource<object> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
