using System.Data.Common;

namespace Sobot.Receiver.Store;

/// <summary>
/// One numbered step of a store's schema: its SQL, then, in the same transaction, any work that belongs in C# rather
/// than SQL (numbers go through the client's normalizer, never through a copy of it in SQL). Each store keeps the
/// number of the last step it ran (SQLite's <c>user_version</c>, PostgreSQL's <c>store_schema</c>) and
/// <see cref="MigrateAsync"/> runs the rest in order, the way versioned migration tools do.
/// </summary>
internal sealed record SchemaStep(string Sql, Func<DbConnection, DbTransaction, DateTimeOffset, CancellationToken, Task>? Then = null)
{
    /// <summary>
    /// The one migration of both stores, in the caller's transaction: reads the recorded version (how many steps the
    /// store has run), refuses a store written by a newer receiver, runs the steps after it and records the new
    /// version. Adding a step to a store's list is the whole of a schema change; the version is the list's length.
    /// </summary>
    /// <param name="what">The store as a message names it ("store", "database").</param>
    /// <returns>Whether any step ran.</returns>
    public static async Task<bool> MigrateAsync(IReadOnlyList<SchemaStep> steps, DbConnection connection, DbTransaction transaction, string what,
        Func<Task<long>> readVersion, Func<int, Task> recordVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long found = await readVersion().ConfigureAwait(false);
        if (found > steps.Count) throw WrittenByNewer(what, found, steps.Count);
        if (found == steps.Count) return false;
        for (int i = (int)Math.Max(0, found); i < steps.Count; i++)
        {
            await PortableSql.ExecuteAsync(connection, transaction, steps[i].Sql, cancellationToken).ConfigureAwait(false);
            if (steps[i].Then is { } then) await then(connection, transaction, now, cancellationToken).ConfigureAwait(false);
        }
        await recordVersion(steps.Count).ConfigureAwait(false);
        return true;
    }

    /// <summary>The refusal of a store whose recorded version is past the last step this receiver knows.</summary>
    public static StoreUnavailableException WrittenByNewer(string what, long found, int known) =>
        new($"The {what} was written by a newer receiver (schema {found}; this one knows {known}).");
}
