namespace Sobot.Receiver.Store.Sqlite;

/// <summary>One write waiting for the writer thread; its caller awaits <see cref="Done"/>, completed only after the commit.</summary>
internal sealed class PendingWrite
{
    public PendingWrite(Func<SqliteWriteStatements, object> apply, bool addsEvents, bool alone = false)
    {
        Alone = alone;
        Apply = apply;
        AddsEvents = addsEvents;
    }

    public Func<SqliteWriteStatements, object> Apply { get; }
    public bool AddsEvents { get; }
    /// <summary>Committed in a transaction of its own (a prune), so a slow one delays one batch rather than joining it.</summary>
    public bool Alone { get; }
    public TaskCompletionSource<object> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
