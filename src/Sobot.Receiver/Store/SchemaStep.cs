using System.Data.Common;

namespace Sobot.Receiver.Store;

/// <summary>
/// One numbered step of a store's schema: its SQL, then, in the same transaction, any work that belongs in C# rather
/// than SQL (numbers go through the client's normalizer, never through a copy of it in SQL). Each store keeps the
/// number of the last step it ran (SQLite's <c>user_version</c>, PostgreSQL's <c>store_schema</c>) and runs the rest
/// in order, the way versioned migration tools do.
/// </summary>
internal sealed record SchemaStep(string Sql, Func<DbConnection, DbTransaction, DateTimeOffset, CancellationToken, Task>? Then = null)
{
    /// <summary>Runs the steps after <paramref name="done"/> (how many a store has already run) in the caller's transaction.</summary>
    public static async Task RunAsync(IReadOnlyList<SchemaStep> steps, int done, DbConnection connection, DbTransaction transaction, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        for (int i = done; i < steps.Count; i++)
        {
            await PortableSql.ExecuteAsync(connection, transaction, steps[i].Sql, cancellationToken).ConfigureAwait(false);
            if (steps[i].Then is { } then) await then(connection, transaction, now, cancellationToken).ConfigureAwait(false);
        }
    }
}
