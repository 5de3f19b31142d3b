namespace Sobot.Receiver.Store.Sqlite;

public sealed record SqliteStoreOptions(string Path)
{
    /// <summary>How long a write waits for a lock held by another process before the store reports itself unavailable.</summary>
    public int BusyTimeoutSeconds { get; init; } = 5;

    /// <summary>Most writes committed in one transaction: one fsync acknowledges them all.</summary>
    public int MaxBatch { get; init; } = 512;

    /// <summary>How often committed pages move from the WAL into the database file (see <see cref="SqliteCheckpointer"/>).</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
