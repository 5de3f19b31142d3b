using Npgsql;

namespace Sobot.Receiver.Store.Postgres;

/// <summary>
/// Creates and migrates the tables at start (numbered steps, the same mechanism as the SQLite store's,
/// <see cref="SchemaStep.MigrateAsync"/>; the steps from 3 on are shared with it, <see cref="SharedSchema"/>). Each step runs once, in order, under a transaction-scoped advisory lock,
/// so two receivers starting at the same moment take turns: the second finds the work done (CREATE ... IF NOT EXISTS
/// alone is not enough: two concurrent creators of one table can still collide on the catalog).
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Advisory lock keys of this store, fixed so every receiver on the database agrees on them.</summary>
    public const long MigrationLock = 0x50B07_0001;
    public const long SeqLock = 0x50B07_0002;

    /// <summary>The channel each commit NOTIFYs, so long polls on every receiver wake.</summary>
    public const string Channel = "sobot_events";

    private static readonly SchemaStep[] Steps =
    [
        new("""
        CREATE TABLE bodies(
            id bigserial PRIMARY KEY,
            received_at bigint NOT NULL,      -- unix milliseconds
            remote_address text,
            body bytea NOT NULL               -- byte for byte as posted
        );
        CREATE INDEX bodies_received ON bodies(received_at);
        -- The cursor. Taken from the sequence only while holding the seq lock, which is held until COMMIT: seqs are
        -- therefore handed out in commit order across every receiver (see PostgresEventStore).
        CREATE SEQUENCE events_seq;
        CREATE TABLE events(
            seq bigint PRIMARY KEY DEFAULT nextval('events_seq'),
            body_id bigint NOT NULL,
            kind text NOT NULL,
            dedup_key text NOT NULL,
            message_id text,
            customer_number text,
            status text,
            event_time bigint,                -- unix seconds, WhatsApp's timestamp
            received_at bigint NOT NULL,      -- unix milliseconds
            fields text NOT NULL,
            raw text NOT NULL
        );
        ALTER SEQUENCE events_seq OWNED BY events.seq;
        CREATE UNIQUE INDEX events_dedup ON events(dedup_key);
        CREATE INDEX events_message ON events(message_id, seq) WHERE message_id IS NOT NULL;
        -- Also the long poll's index: a wait's numbers after the head it started from.
        CREATE INDEX events_customer ON events(customer_number, seq) WHERE customer_number IS NOT NULL;
        CREATE INDEX events_kind ON events(kind, seq);
        CREATE INDEX events_received ON events(received_at);
        CREATE TABLE message_status(
            message_id text PRIMARY KEY,
            status text NOT NULL,
            rank integer NOT NULL,
            status_time bigint,
            seq bigint NOT NULL,
            recipient_id text,
            error_code integer,
            error_title text,
            sent_at bigint,
            delivered_at bigint,
            read_at bigint,
            failed_at bigint
        );
        CREATE TABLE consumers(
            name text PRIMARY KEY,
            position bigint NOT NULL,
            updated_at bigint NOT NULL        -- unix milliseconds
        );
        """),
        // Step 2: the opt-out list and conversation windows, as in the SQLite store's schema 2. Numbers are keys
        // (canonical since step 3); times are unix milliseconds. All three are kept by the append's transaction, under
        // the seq lock.
        new("""
        CREATE TABLE opt_outs(
            customer_number text PRIMARY KEY,
            since bigint NOT NULL,
            source text NOT NULL
        );
        -- The time of each number's latest stop/start decision, kept after a START too, so a STOP that arrives late
        -- (its message older than the decision) is not applied.
        CREATE TABLE consent_decisions(
            customer_number text PRIMARY KEY,
            decided_at bigint NOT NULL
        );
        CREATE TABLE last_inbound(
            customer_number text PRIMARY KEY,
            last_inbound_at bigint NOT NULL,
            message_id text NOT NULL
        );
        """),
        // From step 3 on, the same steps as the SQLite store's.
        .. SharedSchema.Steps("STORED"),
    ];

    public static int Version => Steps.Length;

    public static async Task ApplyAsync(NpgsqlDataSource dataSource, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLock})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, "CREATE TABLE IF NOT EXISTS store_schema(only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
        await SchemaStep.MigrateAsync(Steps, connection, tx, "database",
            async () =>
            {
                await using var read = new NpgsqlCommand("SELECT coalesce((SELECT version FROM store_schema), 0)", connection, tx);
                return Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            },
            version => ExecuteAsync(connection, tx, $"INSERT INTO store_schema(version) VALUES ({version}) ON CONFLICT (only_row) DO UPDATE SET version = excluded.version", cancellationToken),
            now, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
