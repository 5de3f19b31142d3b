namespace Sobot.Receiver.Store.Sqlite;

/// <summary>One write waiting for the writer thread; its caller awaits <see cref="Done"/>, completed only after the commit.</summary>
internal sealed class PendingWrite
{
    public PendingWrite(Func<SqliteWriteStatements, object> apply, bool addsEvents)
    {
        Apply = apply;
        AddsEvents = addsEvents;
    }

    public Func<SqliteWriteStatements, object> Apply { get; }
    public bool AddsEvents { get; }
    public TaskCompletionSource<object> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
