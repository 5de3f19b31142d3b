namespace Sobot.Receiver.Store;

/// <summary>
/// Thrown by a store's commit when the transaction cannot have committed and a fresh attempt may succeed (a dead pooled
/// connection after a database restart): <see cref="BatchedCommitter{TWrite}"/> tries the batch once more.
/// </summary>
internal sealed class RetryableCommitFailure(Exception inner) : Exception(inner.Message, inner);
