using System.Data.Common;
using Sobot.Client.Validation;

namespace Sobot.Receiver.Store;

/// <summary>
/// Schema 3, the same step on both stores: the effective time of every event (<see cref="EffectiveTime"/>), numbers
/// as the client's one rule keys them (<see cref="PhoneNumberNormalizer.Canonical"/>), the index waits look answers
/// up by, and consumer leases. The upgrade heals a store that a forged timestamp had already poisoned.
/// </summary>
internal static class SchemaThree
{
    /// <summary>
    /// The same SQL on both stores but for how the generated column is kept: SQLite can add only a VIRTUAL one (computed
    /// when read, and kept in the index), PostgreSQL only a STORED one. Either way the database computes every event's
    /// effective time from <see cref="EffectiveTime.Sql"/>, those stored before the upgrade included.
    /// </summary>
    public static SchemaStep Step(string generated) => new($"""
        ALTER TABLE events ADD COLUMN effective_at bigint GENERATED ALWAYS AS ({EffectiveTime.Sql}) {generated};
        CREATE INDEX events_customer_time ON events(customer_number, effective_at) WHERE customer_number IS NOT NULL;
        CREATE TABLE consumer_leases(
            name text PRIMARY KEY,
            holder text NOT NULL,
            description text NOT NULL,
            lease_until bigint NOT NULL
        );
        """, UpgradeAsync);

    /// <summary>
    /// In the step's transaction: numbers rewritten in their canonical form (a number the rule refuses is dropped from
    /// an event's key; its raw JSON keeps it), opt-outs, decisions and windows re-keyed and merged the same way; then
    /// every time the forged-timestamp bug could have pushed into the future is brought back to the upgrade's now, and
    /// each number's last inbound is recomputed from its events by effective time.
    /// </summary>
    private static async Task UpgradeAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One pass over the distinct numbers (one per customer, not per event); the events of the few that change are
        // rewritten through the customer index.
        var numbers = await PortableSql.RowsAsync(connection, transaction, "SELECT DISTINCT customer_number FROM events WHERE customer_number IS NOT NULL",
            NotCanonical, cancellationToken).ConfigureAwait(false);
        foreach (var row in numbers)
        {
            string old = (string)row[0]!;
            string? canonical = PhoneNumberNormalizer.Canonical(old);
            await PortableSql.ExecuteAsync(connection, transaction, "UPDATE events SET customer_number = @canonical WHERE customer_number = @old", cancellationToken,
                ("@canonical", canonical), ("@old", old)).ConfigureAwait(false);
        }

        // Keyed by number: a row whose key is not canonical moves to the canonical key, merged with what is there.
        // A key the rule refuses stays as it is (no query can name it, and dropping an opt-out is not ours to do).
        await RekeyAsync(connection, transaction, "opt_outs", "since, source", "since", "DO NOTHING", cancellationToken).ConfigureAwait(false);
        await RekeyAsync(connection, transaction, "consent_decisions", "decided_at", "decided_at",
            "DO UPDATE SET decided_at = CASE WHEN excluded.decided_at > consent_decisions.decided_at THEN excluded.decided_at ELSE consent_decisions.decided_at END",
            cancellationToken).ConfigureAwait(false);
        await RekeyAsync(connection, transaction, "last_inbound", "last_inbound_at, message_id", "last_inbound_at",
            "DO UPDATE SET last_inbound_at = excluded.last_inbound_at, message_id = excluded.message_id WHERE excluded.last_inbound_at > last_inbound.last_inbound_at",
            cancellationToken).ConfigureAwait(false);

        // Healing: nothing decided or written can be later than the upgrade. A START dated 2100 had made its number's
        // decision time 2100, so every real STOP after it was ignored; from now on a message arriving after the upgrade
        // counts, even one from the upgrade's own second (WhatsApp's timestamps are whole seconds).
        long at = now.ToUnixTimeSeconds() * 1000;
        foreach (var (table, column) in new[] { ("consent_decisions", "decided_at"), ("opt_outs", "since"), ("last_inbound", "last_inbound_at") })
            await PortableSql.ExecuteAsync(connection, transaction, $"UPDATE {table} SET {column} = @now WHERE {column} > @now", cancellationToken, ("@now", at)).ConfigureAwait(false);

        // Each number's window from its events as the time rule sees them (latest effective time; a tie keeps the one
        // stored first). This also fills the table on a store upgraded from schema 1, which never had one. Numbers
        // whose events were all pruned keep the (clamped) row they had.
        await PortableSql.ExecuteAsync(connection, transaction, """
            INSERT INTO last_inbound(customer_number, last_inbound_at, message_id)
            SELECT customer_number, effective_at, message_id FROM (
                SELECT customer_number, effective_at, message_id, row_number() OVER (PARTITION BY customer_number ORDER BY effective_at DESC, seq) AS n
                FROM events WHERE kind = 'inbound' AND customer_number IS NOT NULL AND message_id IS NOT NULL) ranked
            WHERE n = 1
            ON CONFLICT (customer_number) DO UPDATE SET last_inbound_at = excluded.last_inbound_at, message_id = excluded.message_id
            """, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a row's first value, a number, differs from its canonical form.</summary>
    private static bool NotCanonical(object?[] row) => PhoneNumberNormalizer.Canonical((string)row[0]!) != (string)row[0]!;

    private static async Task RekeyAsync(DbConnection connection, DbTransaction transaction, string table, string columns, string order, string onConflict,
        CancellationToken cancellationToken)
    {
        var rows = await PortableSql.RowsAsync(connection, transaction, $"SELECT customer_number, {columns} FROM {table} ORDER BY {order}",
            row => NotCanonical(row) && PhoneNumberNormalizer.Canonical((string)row[0]!) != null, cancellationToken).ConfigureAwait(false);
        var names = columns.Split(',', StringSplitOptions.TrimEntries);
        foreach (var row in rows)
        {
            string old = (string)row[0]!;
            string canonical = PhoneNumberNormalizer.Canonical(old)!;
            await PortableSql.ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE customer_number = @old", cancellationToken, ("@old", old)).ConfigureAwait(false);
            var values = names.Select((n, i) => ("@" + n, row[i + 1])).Prepend(("@customer_number", (object?)canonical)).ToArray();
            await PortableSql.ExecuteAsync(connection, transaction,
                $"INSERT INTO {table}(customer_number, {columns}) VALUES ({string.Join(", ", values.Select(v => v.Item1))}) ON CONFLICT (customer_number) {onConflict}",
                cancellationToken, values).ConfigureAwait(false);
        }
    }
}
