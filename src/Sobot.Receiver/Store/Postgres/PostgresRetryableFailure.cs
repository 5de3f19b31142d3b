namespace Sobot.Receiver.Store.Postgres;

/// <summary>A server-wide failure before COMMIT was sent: the transaction cannot have committed, so it may be tried again.</summary>
internal sealed class PostgresRetryableFailure(Exception inner) : Exception(inner.Message, inner);
