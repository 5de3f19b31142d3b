namespace Sobot.Receiver.Store.Postgres;

public sealed record PostgresStoreOptions(string ConnectionString)
{
    /// <summary>Most writes committed in one transaction: one WAL flush acknowledges them all.</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>
    /// How long a write waits for the seq lock, and how long a transaction may sit idle holding it. A receiver frozen in
    /// the middle of a commit (a paused VM, a stopped process) would otherwise hold every other receiver's posts up for
    /// as long as it is frozen; past this, PostgreSQL ends the frozen transaction and the others go on (503 meanwhile).
    /// </summary>
    public TimeSpan StuckTransactionTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest pause between attempts to re-open the LISTEN connection after PostgreSQL went away.</summary>
    public TimeSpan ListenerRetryMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Tests only: runs inside each write transaction after its seqs are taken and before COMMIT, so a test can hold a
    /// transaction open at exactly the moment a late commit would matter.
    /// </summary>
    internal Func<Task>? BeforeCommit { get; init; }
}
