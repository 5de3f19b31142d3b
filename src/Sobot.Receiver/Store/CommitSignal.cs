namespace Sobot.Receiver.Store;

/// <summary>
/// Wakes long-polling readers when new events are committed. A reader takes <see cref="NextCommit"/> before it
/// reads the store, so a commit between its read and its wait still wakes it (no lost wake-ups, no sleep loops).
/// </summary>
public sealed class CommitSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next <see cref="Pulse"/> after it was taken.</summary>
    public Task NextCommit => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
