using System.Data.Common;

namespace Sobot.Receiver.Store;

/// <summary>
/// Consumers (named cursors) and their leases, in SQL both stores run as it is: the SQLite store calls these on its
/// writer's transaction, the PostgreSQL store on its writer loop's. Positions live in <c>consumers</c>, leases in
/// <c>consumer_leases</c> (one row per consumer being read; a lease that has run out counts as none).
///
/// The grant is one upsert whose WHERE decides (free, run out, or already this holder's), so two receivers on one
/// PostgreSQL database asking at the same moment cannot both get it: the second waits on the row and finds it taken.
/// A write that is refused returns the lease that refused it; the store turns that into
/// <see cref="ConsumerLeasedException"/> after the commit, so a refusal never fails its neighbours in a batch.
/// </summary>
internal static class ConsumerStatements
{
    public static async Task<ConsumerPosition?> GetAsync(DbConnection connection, DbTransaction? transaction, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var position = await PortableSql.RowsAsync(connection, transaction, "SELECT position, updated_at FROM consumers WHERE name = @name", cancellationToken,
            ("@name", name)).ConfigureAwait(false);
        var lease = await LiveLeaseAsync(connection, transaction, name, now, cancellationToken).ConfigureAwait(false);
        if (position.Count == 0 && lease == null) return null;
        return position.Count == 0
            ? new ConsumerPosition(name, 0, null) { Lease = lease }
            : new ConsumerPosition(name, PortableSql.Long(position[0][0]), Time(position[0][1])) { Lease = lease };
    }

    /// <summary>Every consumer that has a position or a live lease, by name (ordinal, the same on every store and locale).</summary>
    public static async Task<IReadOnlyList<ConsumerPosition>> ListAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var positions = await PortableSql.RowsAsync(connection, null, "SELECT name, position, updated_at FROM consumers", cancellationToken).ConfigureAwait(false);
        var leases = await PortableSql.RowsAsync(connection, null, "SELECT name, holder, description, lease_until FROM consumer_leases WHERE lease_until > @now",
            cancellationToken, ("@now", now.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        var byName = new SortedDictionary<string, ConsumerPosition>(StringComparer.Ordinal);
        foreach (var row in positions) byName[(string)row[0]!] = new ConsumerPosition((string)row[0]!, PortableSql.Long(row[1]), Time(row[2]));
        foreach (var row in leases)
        {
            string name = (string)row[0]!;
            var lease = Lease(row[1], row[2], row[3]);
            byName[name] = byName.TryGetValue(name, out var consumer) ? consumer with { Lease = lease } : new ConsumerPosition(name, 0, null) { Lease = lease };
        }
        return byName.Values.ToList();
    }

    /// <summary>
    /// Grants, renews or refuses the lease: granted when there is none, it has run out, or <paramref name="holder"/>
    /// already holds it. Returns the consumer with its lease, or the other reader's <see cref="ConsumerLease"/>.
    /// </summary>
    public static async Task<object> LeaseAsync(DbConnection connection, DbTransaction transaction, string name, string holder, string description, DateTimeOffset until,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await PortableSql.ExecuteAsync(connection, transaction, """
            INSERT INTO consumer_leases(name, holder, description, lease_until) VALUES (@name, @holder, @description, @until)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, description = excluded.description, lease_until = excluded.lease_until
            WHERE consumer_leases.holder = excluded.holder OR consumer_leases.lease_until <= @now
            """, cancellationToken, ("@name", name), ("@holder", holder), ("@description", description), ("@until", until.ToUnixTimeMilliseconds()),
            ("@now", now.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        var consumer = (await GetAsync(connection, transaction, name, now, cancellationToken).ConfigureAwait(false))!;
        return consumer.Lease!.Holder == holder ? consumer : consumer.Lease;
    }

    /// <summary>Gives the lease up; a holder that does not hold it changes nothing.</summary>
    public static Task ReleaseAsync(DbConnection connection, DbTransaction transaction, string name, string holder, CancellationToken cancellationToken) =>
        PortableSql.ExecuteAsync(connection, transaction, "DELETE FROM consumer_leases WHERE name = @name AND holder = @holder", cancellationToken,
            ("@name", name), ("@holder", holder));

    /// <summary>
    /// Sets the position unless another reader holds a live lease (with no <paramref name="holder"/>, unless anyone
    /// does). Returns the consumer, or the lease that refused the write.
    /// </summary>
    public static async Task<object> SetAsync(DbConnection connection, DbTransaction transaction, string name, long position, string? holder, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (await RefusingLeaseAsync(connection, transaction, name, holder, now, cancellationToken).ConfigureAwait(false) is { } refusal) return refusal;
        long at = now.ToUnixTimeMilliseconds();
        await PortableSql.ExecuteAsync(connection, transaction, """
            INSERT INTO consumers(name, position, updated_at) VALUES (@name, @position, @at)
            ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            """, cancellationToken, ("@name", name), ("@position", position), ("@at", at)).ConfigureAwait(false);
        return (await GetAsync(connection, transaction, name, now, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Removes the consumer (its position and any lease of its own holder or run out); true when it existed.</summary>
    public static async Task<object> DeleteAsync(DbConnection connection, DbTransaction transaction, string name, string? holder, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (await RefusingLeaseAsync(connection, transaction, name, holder, now, cancellationToken).ConfigureAwait(false) is { } refusal) return refusal;
        int removed = await PortableSql.ExecuteAsync(connection, transaction, "DELETE FROM consumers WHERE name = @name", cancellationToken, ("@name", name)).ConfigureAwait(false);
        removed += await PortableSql.ExecuteAsync(connection, transaction, "DELETE FROM consumer_leases WHERE name = @name", cancellationToken, ("@name", name)).ConfigureAwait(false);
        return removed > 0;
    }

    /// <summary>A write's outcome for its caller, after the commit: the value, or the refusal as <see cref="ConsumerLeasedException"/>.</summary>
    public static T Outcome<T>(string name, object result) => result is ConsumerLease lease ? throw new ConsumerLeasedException(name, lease) : (T)result;

    private static async Task<ConsumerLease?> RefusingLeaseAsync(DbConnection connection, DbTransaction transaction, string name, string? holder, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        await LiveLeaseAsync(connection, transaction, name, now, cancellationToken).ConfigureAwait(false) is { } lease && lease.Holder != holder ? lease : null;

    private static async Task<ConsumerLease?> LiveLeaseAsync(DbConnection connection, DbTransaction? transaction, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await PortableSql.RowsAsync(connection, transaction, "SELECT holder, description, lease_until FROM consumer_leases WHERE name = @name AND lease_until > @now",
            cancellationToken, ("@name", name), ("@now", now.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        return rows.Count == 0 ? null : Lease(rows[0][0], rows[0][1], rows[0][2]);
    }

    private static ConsumerLease Lease(object? holder, object? description, object? until) =>
        new((string)holder!, (string)description!, DateTimeOffset.FromUnixTimeMilliseconds(PortableSql.Long(until)));

    private static DateTimeOffset? Time(object? milliseconds) => milliseconds == null ? null : DateTimeOffset.FromUnixTimeMilliseconds(PortableSql.Long(milliseconds));
}
