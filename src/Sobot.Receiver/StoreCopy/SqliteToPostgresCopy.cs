using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Postgres;
using Sobot.Receiver.Store.Sqlite;

namespace Sobot.Receiver.StoreCopy;

/// <summary>
/// Copies a SQLite store into PostgreSQL: bodies byte for byte, events with their seqs (so consumer positions keep
/// their meaning), statuses merged by the forward-only rule, consumers, and the opt-out list with its decisions and
/// each number's last inbound. Re-running it copies only what is missing:
/// bodies by id, events by dedup key, consumers by name (a position already in PostgreSQL is left alone, since
/// receivers on PostgreSQL may have moved it). Meant for a database no receiver has written to yet, or to finish an
/// interrupted copy; a target holding other events at the same seqs is refused rather than mixed.
/// </summary>
public static class SqliteToPostgresCopy
{
    private const int Page = 1000;

    public static async Task<StoreCopyCounts> RunAsync(string sqlitePath, string connectionString, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(sqlitePath)) throw new ArgumentException($"No SQLite store at {sqlitePath}.");
        var sqliteBuilder = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(sqlitePath), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var source = new SqliteConnection(sqliteBuilder.ConnectionString);
        await source.OpenAsync(cancellationToken).ConfigureAwait(false);
        long version = SqliteSchema.Scalar(source, "PRAGMA user_version");
        if (version != SqliteSchema.Version)
            throw new ArgumentException($"{sqlitePath} has store schema {version}; this receiver copies schema {SqliteSchema.Version}. " +
                (version < SqliteSchema.Version ? "Start this receiver on the file once (it upgrades it), then copy." : "Copy it with the receiver that wrote it."));

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await PostgresSchema.ApplyAsync(dataSource, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        await using var target = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await RefuseForeignTargetAsync(source, target, cancellationToken).ConfigureAwait(false);

        var (bodiesCopied, bodiesPresent) = await CopyBodiesAsync(source, target, progress, cancellationToken).ConfigureAwait(false);
        var (eventsCopied, eventsPresent) = await CopyEventsAsync(source, target, progress, cancellationToken).ConfigureAwait(false);
        long statuses = await MergeStatusesAsync(source, target, cancellationToken).ConfigureAwait(false);
        var (consumersCopied, consumersPresent) = await CopyConsumersAsync(source, target, cancellationToken).ConfigureAwait(false);
        var (optOutsCopied, optOutsPresent, decisions, lastInbound) = await CopyConsentAsync(source, target, cancellationToken).ConfigureAwait(false);
        // Planner statistics for what was just loaded in bulk: until autovacuum gets to it, PostgreSQL would plan a
        // wait's lookup (one number, inbound, since) over the kind index and read every inbound event.
        await using (var analyze = new NpgsqlCommand("ANALYZE", target)) await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return new StoreCopyCounts(bodiesCopied, bodiesPresent, eventsCopied, eventsPresent, statuses, consumersCopied, consumersPresent)
        {
            OptOutsCopied = optOutsCopied,
            OptOutsPresent = optOutsPresent,
            DecisionsMerged = decisions,
            LastInboundMerged = lastInbound,
        };
    }

    /// <summary>
    /// The target must be empty or hold this source's own events (an earlier run): if its first event's seq is taken by a
    /// different event, receivers have written there already and copying would tie the source's seqs to other events.
    /// </summary>
    private static async Task RefuseForeignTargetAsync(SqliteConnection source, NpgsqlConnection target, CancellationToken cancellationToken)
    {
        using var first = source.CreateCommand();
        first.CommandText = "SELECT seq, dedup_key FROM events ORDER BY seq LIMIT 1";
        using var reader = await first.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return;
        long seq = reader.GetInt64(0);
        string key = reader.GetString(1);
        await using var check = new NpgsqlCommand("SELECT dedup_key FROM events WHERE seq = $1", target);
        check.Parameters.Add(new NpgsqlParameter { Value = seq });
        if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string found && found != key)
            throw new InvalidOperationException($"The target database already holds a different event at seq {seq}: copy into a database no receiver has written to.");
    }

    private static async Task<(long Copied, long Present)> CopyBodiesAsync(SqliteConnection source, NpgsqlConnection target, Action<string>? progress, CancellationToken cancellationToken)
    {
        long copied = 0, present = 0, after = 0;
        while (true)
        {
            var ids = new List<long>();
            var times = new List<long>();
            var remotes = new List<string?>();
            var bodies = new List<byte[]>();
            using (var read = source.CreateCommand())
            {
                read.CommandText = "SELECT id, received_at, remote_address, body FROM bodies WHERE id > $after ORDER BY id LIMIT $page";
                read.Parameters.AddWithValue("$after", after);
                read.Parameters.AddWithValue("$page", Page);
                using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    ids.Add(reader.GetInt64(0));
                    times.Add(reader.GetInt64(1));
                    remotes.Add(reader.IsDBNull(2) ? null : reader.GetString(2));
                    bodies.Add((byte[])reader.GetValue(3));
                }
            }
            if (ids.Count == 0) break;
            after = ids[^1];
            // One row at a time in one batch: bytea arrays through unnest would copy every body once more in memory.
            await using var tx = await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(target, tx);
            for (int i = 0; i < ids.Count; i++)
            {
                var insert = new NpgsqlBatchCommand("INSERT INTO bodies(id, received_at, remote_address, body) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING");
                insert.Parameters.Add(new NpgsqlParameter { Value = ids[i] });
                insert.Parameters.Add(new NpgsqlParameter { Value = times[i] });
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)remotes[i] ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                insert.Parameters.Add(new NpgsqlParameter { Value = bodies[i], NpgsqlDbType = NpgsqlDbType.Bytea });
                batch.BatchCommands.Add(insert);
            }
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            long inserted = 0;
            foreach (NpgsqlBatchCommand command in batch.BatchCommands) inserted += command.RecordsAffected;
            // Receivers started later must not hand out an id the copy used.
            await using (var bump = new NpgsqlCommand("SELECT setval('bodies_id_seq', greatest((SELECT last_value FROM bodies_id_seq), $1))", target, tx))
            {
                bump.Parameters.Add(new NpgsqlParameter { Value = after });
                await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            copied += inserted;
            present += ids.Count - inserted;
            progress?.Invoke($"bodies up to id {after}");
        }
        return (copied, present);
    }

    private static async Task<(long Copied, long Present)> CopyEventsAsync(SqliteConnection source, NpgsqlConnection target, Action<string>? progress, CancellationToken cancellationToken)
    {
        long copied = 0, present = 0, after = 0;
        while (true)
        {
            var columns = new List<object?>[11];
            for (int c = 0; c < columns.Length; c++) columns[c] = [];
            using (var read = source.CreateCommand())
            {
                read.CommandText = "SELECT seq, body_id, kind, dedup_key, message_id, customer_number, status, event_time, received_at, fields, raw FROM events WHERE seq > $after ORDER BY seq LIMIT $page";
                read.Parameters.AddWithValue("$after", after);
                read.Parameters.AddWithValue("$page", Page);
                using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    for (int c = 0; c < columns.Length; c++) columns[c].Add(reader.IsDBNull(c) ? null : reader.GetValue(c));
            }
            int count = columns[0].Count;
            if (count == 0) break;
            after = (long)columns[0][^1]!;
            await using var tx = await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Under the seq lock, like every append, and the sequence moved past the copied seqs in the same transaction.
            await using (var batch = new NpgsqlBatch(target, tx))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({PostgresSchema.SeqLock})"));
                var insert = new NpgsqlBatchCommand("""
                    INSERT INTO events(seq, body_id, kind, dedup_key, message_id, customer_number, status, event_time, received_at, fields, raw)
                    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::text[], $11::text[])
                    ON CONFLICT (dedup_key) DO NOTHING
                    """);
                for (int c = 0; c < columns.Length; c++)
                {
                    bool number = c is 0 or 1 or 7 or 8;
                    object array = number ? columns[c].Select(v => v == null ? (long?)null : Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()
                        : columns[c].Select(v => (string?)v).ToArray();
                    insert.Parameters.Add(new NpgsqlParameter { Value = array, NpgsqlDbType = NpgsqlDbType.Array | (number ? NpgsqlDbType.Bigint : NpgsqlDbType.Text) });
                }
                batch.BatchCommands.Add(insert);
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT setval('events_seq', greatest((SELECT last_value FROM events_seq), {after}))"));
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                long inserted = insert.RecordsAffected;
                copied += inserted;
                present += count - inserted;
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            progress?.Invoke($"events up to seq {after}");
        }
        return (copied, present);
    }

    private static async Task<long> MergeStatusesAsync(SqliteConnection source, NpgsqlConnection target, CancellationToken cancellationToken)
    {
        long merged = 0;
        string after = "";
        while (true)
        {
            var columns = new List<object?>[12];
            for (int c = 0; c < columns.Length; c++) columns[c] = [];
            using (var read = source.CreateCommand())
            {
                read.CommandText = $"SELECT {PostgresStatusMerge.Columns} FROM message_status WHERE message_id > $after ORDER BY message_id LIMIT $page";
                read.Parameters.AddWithValue("$after", after);
                read.Parameters.AddWithValue("$page", Page);
                using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    for (int c = 0; c < columns.Length; c++) columns[c].Add(reader.IsDBNull(c) ? null : reader.GetValue(c));
            }
            if (columns[0].Count == 0) break;
            after = (string)columns[0][^1]!;
            // The same forward-only rule as an append: the higher rank wins, each stage keeps its earliest time.
            await using var merge = new NpgsqlCommand($"""
                INSERT INTO message_status AS m({PostgresStatusMerge.Columns})
                SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::text[], $7::int[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[])
                {PostgresStatusMerge.OnConflict}
                """, target);
            for (int c = 0; c < columns.Length; c++)
            {
                if (c is 0 or 1 or 5 or 7)
                    merge.Parameters.Add(new NpgsqlParameter { Value = columns[c].Select(v => (string?)v).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                else if (c is 2 or 6)
                    merge.Parameters.Add(new NpgsqlParameter { Value = columns[c].Select(v => v == null ? (int?)null : Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
                else
                    merge.Parameters.Add(new NpgsqlParameter { Value = columns[c].Select(v => v == null ? (long?)null : Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            }
            merged += await merge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return merged;
    }

    /// <summary>
    /// The opt-out list, the stop/start decisions and each number's last inbound, in one transaction under the seq lock
    /// (the lock every append takes to keep them), merged so that running it again changes nothing: a number already on
    /// the list keeps its since and source, a decision keeps the later time, a last inbound only moves to a later message.
    /// </summary>
    private static async Task<(long OptOutsCopied, long OptOutsPresent, long Decisions, long LastInbound)> CopyConsentAsync(
        SqliteConnection source, NpgsqlConnection target, CancellationToken cancellationToken)
    {
        var optOuts = await ReadRowsAsync(source, $"SELECT {StoreRows.OptOutColumns} FROM opt_outs ORDER BY customer_number", cancellationToken).ConfigureAwait(false);
        var decisions = await ReadRowsAsync(source, "SELECT customer_number, decided_at FROM consent_decisions ORDER BY customer_number", cancellationToken).ConfigureAwait(false);
        var lastInbound = await ReadRowsAsync(source, $"SELECT {StoreRows.LastInboundColumns} FROM last_inbound ORDER BY customer_number", cancellationToken).ConfigureAwait(false);

        await using var tx = await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(target, tx);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({PostgresSchema.SeqLock})"));
        var decide = new NpgsqlBatchCommand("""
            INSERT INTO consent_decisions AS c(customer_number, decided_at)
            SELECT * FROM unnest($1::text[], $2::bigint[])
            ON CONFLICT (customer_number) DO UPDATE SET decided_at = excluded.decided_at WHERE excluded.decided_at > c.decided_at
            """);
        decide.Parameters.Add(Texts(decisions, 0));
        decide.Parameters.Add(Numbers(decisions, 1));
        batch.BatchCommands.Add(decide);
        var optOut = new NpgsqlBatchCommand("""
            INSERT INTO opt_outs(customer_number, since, source)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])
            ON CONFLICT (customer_number) DO NOTHING
            """);
        optOut.Parameters.Add(Texts(optOuts, 0));
        optOut.Parameters.Add(Numbers(optOuts, 1));
        optOut.Parameters.Add(Texts(optOuts, 2));
        batch.BatchCommands.Add(optOut);
        var inbound = new NpgsqlBatchCommand("""
            INSERT INTO last_inbound AS l(customer_number, last_inbound_at, message_id)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])
            ON CONFLICT (customer_number) DO UPDATE SET last_inbound_at = excluded.last_inbound_at, message_id = excluded.message_id
            WHERE excluded.last_inbound_at > l.last_inbound_at
            """);
        inbound.Parameters.Add(Texts(lastInbound, 0));
        inbound.Parameters.Add(Numbers(lastInbound, 1));
        inbound.Parameters.Add(Texts(lastInbound, 2));
        batch.BatchCommands.Add(inbound);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (optOut.RecordsAffected, optOuts.Count - optOut.RecordsAffected, decide.RecordsAffected, inbound.RecordsAffected);
    }

    private static async Task<List<object[]>> ReadRowsAsync(SqliteConnection source, string sql, CancellationToken cancellationToken)
    {
        var rows = new List<object[]>();
        using var read = source.CreateCommand();
        read.CommandText = sql;
        using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    private static NpgsqlParameter Texts(List<object[]> rows, int column) =>
        new() { Value = rows.Select(r => (string)r[column]).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter Numbers(List<object[]> rows, int column) =>
        new() { Value = rows.Select(r => Convert.ToInt64(r[column], System.Globalization.CultureInfo.InvariantCulture)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };

    private static async Task<(long Copied, long Present)> CopyConsumersAsync(SqliteConnection source, NpgsqlConnection target, CancellationToken cancellationToken)
    {
        long copied = 0, present = 0;
        using var read = source.CreateCommand();
        read.CommandText = "SELECT name, position, updated_at FROM consumers ORDER BY name";
        using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var insert = new NpgsqlCommand("INSERT INTO consumers(name, position, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING", target);
            insert.Parameters.Add(new NpgsqlParameter { Value = reader.GetString(0) });
            insert.Parameters.Add(new NpgsqlParameter { Value = reader.GetInt64(1) });
            insert.Parameters.Add(new NpgsqlParameter { Value = reader.GetInt64(2) });
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1) copied++;
            else present++;
        }
        return (copied, present);
    }
}
