using Microsoft.Data.Sqlite;

namespace Sobot.Receiver.Store.Sqlite;

/// <summary>
/// The store's schema as numbered steps; <c>PRAGMA user_version</c> holds how many a file has run. Opening runs the
/// rest in one transaction (a new file runs them all), and refuses a file written by a newer receiver. Step 2 added
/// the opt-out list, the stop/start decisions and the last inbound message per number; the steps from 3 on are those
/// of <see cref="SharedSchema"/>, the same for PostgreSQL; <see cref="SchemaStep.MigrateAsync"/> runs them.
/// </summary>
internal static class SqliteSchema
{
    private static readonly SchemaStep[] Steps =
    [
        new("""
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
            -- Also the long poll's index: a wait's numbers after the head it started from.
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
            """),
        // Step 2. Numbers are keys (canonical since step 3); times are unix milliseconds.
        new("""
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
            """),
        .. SharedSchema.Steps("VIRTUAL"),
    ];

    public static int Version => Steps.Length;

    public static void Apply(SqliteConnection connection, DateTimeOffset now)
    {
        // Nothing to do (the usual start) without a write transaction: a second process opening a file in use must not
        // wait for the writer's lock only to find the schema current.
        // A file of a newer receiver is refused here too, before BEGIN IMMEDIATE: while that receiver writes, the
        // transaction would wait out the busy timeout and fail with "database is locked" instead of saying why.
        long found = Scalar(connection, "PRAGMA user_version");
        if (found == Version) return;
        if (found > Version) throw SchemaStep.WrittenByNewer("store", found, Version);
        // Read again inside: another process may have migrated the file meanwhile.
        using var tx = connection.BeginTransaction();
        // Microsoft.Data.Sqlite's asynchronous calls complete synchronously: this waits on nothing.
        SchemaStep.MigrateAsync(Steps, connection, tx, "store",
            () => Task.FromResult(Scalar(connection, "PRAGMA user_version", tx)),
            version => PortableSql.ExecuteAsync(connection, tx, $"PRAGMA user_version = {version}", CancellationToken.None),
            now, CancellationToken.None).GetAwaiter().GetResult();
        tx.Commit();
    }

    public static long Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}
