namespace Sobot.Receiver.Store;

/// <summary>
/// One write waiting for a store's <see cref="BatchedCommitter{TWrite}"/>; its caller awaits <see cref="Done"/>,
/// completed only after the transaction holding it committed. Each store's subclass says what the write does.
/// </summary>
internal abstract class PendingWrite(bool addsEvents, bool alone)
{
    /// <summary>An append: when its result stored something, the commit pulses <see cref="CommitSignal"/>.</summary>
    public bool AddsEvents { get; } = addsEvents;

    /// <summary>Committed in a transaction of its own (a prune), so a slow one delays one batch rather than joining it.</summary>
    public bool Alone { get; } = alone;

    public TaskCompletionSource<object> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
