namespace Sobot.Receiver.Store.Postgres;

public sealed record PostgresStoreOptions(string ConnectionString)
{
    /// <summary>Most writes committed in one transaction: one WAL flush acknowledges them all.</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>Longest pause between attempts to re-open the LISTEN connection after PostgreSQL went away.</summary>
    public TimeSpan ListenerRetryMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Tests only: runs inside each write transaction after its seqs are taken and before COMMIT, so a test can hold a
    /// transaction open at exactly the moment a late commit would matter.
    /// </summary>
    internal Func<Task>? BeforeCommit { get; init; }
}
