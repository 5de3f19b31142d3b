namespace Sobot.Receiver.Store.Sqlite;

/// <summary>A write to the SQLite store: what it does with the writer's prepared statements, inside the batch's transaction.</summary>
internal sealed class SqlitePendingWrite(Func<SqliteWriteStatements, object> apply, bool addsEvents, bool alone = false) : PendingWrite(addsEvents, alone)
{
    public Func<SqliteWriteStatements, object> Apply { get; } = apply;
}
