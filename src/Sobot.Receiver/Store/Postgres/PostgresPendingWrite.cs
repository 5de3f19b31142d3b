using Npgsql;

namespace Sobot.Receiver.Store.Postgres;

/// <summary>One write waiting for the writer loop; its caller awaits <see cref="Done"/>, completed only after the commit.</summary>
internal sealed class PostgresPendingWrite
{
    public PostgresPendingWrite(WebhookDelivery? delivery, Func<NpgsqlConnection, NpgsqlTransaction, Task<object>>? apply)
    {
        Delivery = delivery;
        Apply = apply;
    }

    /// <summary>A webhook to append (batched with its neighbours), or null for a write of another kind.</summary>
    public WebhookDelivery? Delivery { get; }
    public Func<NpgsqlConnection, NpgsqlTransaction, Task<object>>? Apply { get; }
    public TaskCompletionSource<object> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
