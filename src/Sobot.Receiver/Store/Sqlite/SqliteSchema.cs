using Microsoft.Data.Sqlite;

namespace Sobot.Receiver.Store.Sqlite;

/// <summary>
/// Creates the tables on first open, upgrades an older store in place, and refuses a store written by a newer
/// receiver. Version 2 added the opt-out list, the stop/start decisions and the last inbound message per number.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 2;

    private const string Create = """
        CREATE TABLE IF NOT EXISTS bodies(
            id INTEGER PRIMARY KEY,
            received_at INTEGER NOT NULL,      -- unix milliseconds
            remote_address TEXT,
            body BLOB NOT NULL                 -- byte for byte as posted
        );
        -- AUTOINCREMENT: a seq is never reused, even after the newest rows are pruned, so a cursor never sees
        -- a new event under an old number.
        CREATE TABLE IF NOT EXISTS events(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            body_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            dedup_key TEXT NOT NULL,
            message_id TEXT,
            customer_number TEXT,
            status TEXT,
            event_time INTEGER,                -- unix seconds, WhatsApp's timestamp
            received_at INTEGER NOT NULL,      -- unix milliseconds
            fields TEXT NOT NULL,
            raw TEXT NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS events_dedup ON events(dedup_key);
        CREATE INDEX IF NOT EXISTS events_message ON events(message_id, seq) WHERE message_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS events_customer ON events(customer_number, seq) WHERE customer_number IS NOT NULL;
        CREATE INDEX IF NOT EXISTS events_kind ON events(kind, seq);
        -- Kept up to date by every status insert, so a batch of 200,000 message ids is a key lookup each.
        CREATE TABLE IF NOT EXISTS message_status(
            message_id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            rank INTEGER NOT NULL,
            status_time INTEGER,
            seq INTEGER NOT NULL,
            recipient_id TEXT,
            error_code INTEGER,
            error_title TEXT,
            sent_at INTEGER,
            delivered_at INTEGER,
            read_at INTEGER,
            failed_at INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS consumers(
            name TEXT PRIMARY KEY,
            position INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- Schema 2. Numbers are digits only; times are unix milliseconds.
        CREATE TABLE IF NOT EXISTS opt_outs(
            customer_number TEXT PRIMARY KEY,
            since INTEGER NOT NULL,
            source TEXT NOT NULL
        ) WITHOUT ROWID;
        -- The time of each number's latest stop/start decision, kept after a START too, so a STOP that arrives late
        -- (its message older than the decision) is not applied.
        CREATE TABLE IF NOT EXISTS consent_decisions(
            customer_number TEXT PRIMARY KEY,
            decided_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS last_inbound(
            customer_number TEXT PRIMARY KEY,
            last_inbound_at INTEGER NOT NULL,
            message_id TEXT NOT NULL
        ) WITHOUT ROWID;
        """;

    /// <summary>
    /// Fills last_inbound from the inbound events a schema 1 store already holds, so conversation windows are known
    /// straight after an upgrade. Numbers are normalised as <see cref="CustomerNumbers"/> does; others are skipped.
    /// Opt-outs are not rebuilt: stop words are the receiver's setting, not the store's, and a replay under today's
    /// words could suppress numbers nobody meant to.
    /// </summary>
    private const string BackfillLastInbound = """
        WITH inbound AS (
            SELECT seq, message_id, coalesce(event_time * 1000, received_at) AS at,
                   replace(replace(ltrim(trim(customer_number), '+'), ' ', ''), '-', '') AS number
            FROM events WHERE kind = 'inbound' AND customer_number IS NOT NULL AND message_id IS NOT NULL),
        ranked AS (
            SELECT number, at, message_id, row_number() OVER (PARTITION BY number ORDER BY at DESC, seq) AS n FROM inbound)
        INSERT INTO last_inbound(customer_number, last_inbound_at, message_id)
        SELECT number, at, message_id FROM ranked
        WHERE n = 1 AND number <> '' AND length(number) <= 20 AND number NOT GLOB '*[^0-9]*'
        ON CONFLICT(customer_number) DO NOTHING;
        """;

    public static void Apply(SqliteConnection connection)
    {
        long found = Scalar(connection, "PRAGMA user_version");
        if (found > Version)
            throw new StoreUnavailableException($"The store was written by a newer receiver (schema {found}; this one knows {Version}).");
        using var tx = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = tx;
            create.CommandText = Create + (found is > 0 and < 2 ? BackfillLastInbound : "") + $"PRAGMA user_version = {Version};";
            create.ExecuteNonQuery();
        }
        tx.Commit();
    }

    public static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}
