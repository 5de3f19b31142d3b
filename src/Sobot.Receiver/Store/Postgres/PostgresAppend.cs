using Npgsql;
using NpgsqlTypes;
using Sobot.Client.Webhooks;

namespace Sobot.Receiver.Store.Postgres;

/// <summary>
/// Appends a group of deliveries inside the writer's transaction, in three round trips: the bodies (before the seq
/// lock, so the bulk of the bytes never holds other receivers up), then the seq lock and every event with its status
/// (and, for an inbound message, its number's last inbound and any stop or start it says), then, only when something
/// new was stored, the NOTIFY that wakes the other receivers' long polls at commit.
/// </summary>
internal static class PostgresAppend
{
    // NOT EXISTS rather than ON CONFLICT alone: ON CONFLICT takes the seq from the sequence before it finds the conflict,
    // leaving a hole for every duplicate. Under the seq lock no other transaction can be inserting, so the check is exact;
    // ON CONFLICT stays as the backstop the unique index enforces anyway. The status upsert is PostgresStatusMerge.
    private const string InsertEventAndStatus = $"""
        WITH e AS (
            INSERT INTO events(body_id, kind, dedup_key, message_id, customer_number, status, event_time, received_at, fields, raw)
            SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text, $7::bigint, $8::bigint, $9::text, $10::text
            WHERE NOT EXISTS (SELECT 1 FROM events WHERE dedup_key = $3::text)
            ON CONFLICT (dedup_key) DO NOTHING
            RETURNING seq, effective_at
        ), s AS (
            INSERT INTO message_status AS m({PostgresStatusMerge.Columns})
            SELECT $4::text, $11::text, $12::integer, $7::bigint, e.seq, $5::text, $13::integer, $14::text,
                   CASE WHEN $11::text = 'sent' THEN $7::bigint END, CASE WHEN $11::text = 'delivered' THEN $7::bigint END,
                   CASE WHEN $11::text = 'read' THEN $7::bigint END, CASE WHEN $11::text = 'failed' THEN $7::bigint END
            FROM e WHERE $11::text IS NOT NULL
            {PostgresStatusMerge.OnConflict}
        )
        """;

    private const string InsertEvent = InsertEventAndStatus + "SELECT seq FROM e";

    // An inbound message new to the store ($5 its canonical number; e.effective_at its effective time, from the
    // generated column; $15 its consent change) also moves the number's last inbound (only forward: webhooks come in
    // any order) and applies a stop or start unless a later decision is already kept. Only for a new event (FROM e), so a duplicate never applies again;
    // and under the seq lock, so receivers sharing the database apply decisions one at a time, each seeing the last.
    private const string InsertInbound = InsertEventAndStatus + """
        , li AS (
            INSERT INTO last_inbound AS l(customer_number, last_inbound_at, message_id)
            SELECT $5::text, e.effective_at, $4::text FROM e
            ON CONFLICT (customer_number) DO UPDATE SET last_inbound_at = excluded.last_inbound_at, message_id = excluded.message_id
            WHERE excluded.last_inbound_at > l.last_inbound_at
        ), ok AS (
            SELECT e.effective_at AS at FROM e WHERE $15::integer <> 0
              AND NOT EXISTS (SELECT 1 FROM consent_decisions WHERE customer_number = $5::text AND decided_at > e.effective_at)
        ), d AS (
            INSERT INTO consent_decisions AS c(customer_number, decided_at) SELECT $5::text, ok.at FROM ok
            ON CONFLICT (customer_number) DO UPDATE SET decided_at = excluded.decided_at
        ), o AS (
            INSERT INTO opt_outs(customer_number, since, source) SELECT $5::text, ok.at, 'inbound:' || $4::text FROM ok
            WHERE $15::integer = 1
            ON CONFLICT (customer_number) DO NOTHING
        ), x AS (
            DELETE FROM opt_outs WHERE customer_number = $5::text AND $15::integer = 2 AND EXISTS (SELECT 1 FROM ok)
        )
        SELECT seq FROM e
        """;

    /// <param name="sender">This receiver's id, the NOTIFY's payload: its own listener knows the commit already.</param>
    public static async Task<IReadOnlyList<AppendResult>> RunAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<WebhookDelivery> deliveries, string sender)
    {
        var bodyIds = new long[deliveries.Count];
        await using (var bodies = new NpgsqlBatch(connection, tx))
        {
            foreach (var d in deliveries)
            {
                var insert = new NpgsqlBatchCommand("INSERT INTO bodies(received_at, remote_address, body) VALUES ($1, $2, $3) RETURNING id");
                insert.Parameters.Add(new NpgsqlParameter { Value = d.ReceivedAt.ToUnixTimeMilliseconds() });
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)d.RemoteAddress ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                insert.Parameters.Add(new NpgsqlParameter { Value = d.Body, NpgsqlDbType = NpgsqlDbType.Bytea });
                bodies.BatchCommands.Add(insert);
            }
            await using var reader = await bodies.ExecuteReaderAsync().ConfigureAwait(false);
            // The reader starts on the first INSERT's result.
            for (int i = 0; i < deliveries.Count; i++)
            {
                if (i > 0) await reader.NextResultAsync().ConfigureAwait(false);
                await reader.ReadAsync().ConfigureAwait(false);
                bodyIds[i] = reader.GetInt64(0);
            }
        }

        var results = new AppendResult[deliveries.Count];
        int storedAll = 0;
        await using (var events = new NpgsqlBatch(connection, tx))
        {
            events.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({PostgresSchema.SeqLock})"));
            for (int i = 0; i < deliveries.Count; i++)
            {
                long receivedAt = deliveries[i].ReceivedAt.ToUnixTimeMilliseconds();
                foreach (var e in deliveries[i].Events)
                {
                    string? status = e.Kind == EventKind.Status && e.MessageId != null && e.Status != null ? e.Status.ToLowerInvariant() : null;
                    bool inbound = e.Kind == EventKind.Inbound && e.MessageId != null && e.CustomerNumber != null;
                    var insert = new NpgsqlBatchCommand(inbound ? InsertInbound : InsertEvent);
                    Add(insert, bodyIds[i]);
                    Add(insert, e.Kind.ToName());
                    Add(insert, Text(e.DedupKey));
                    Add(insert, Text(e.MessageId));
                    Add(insert, Text(e.CustomerNumber));
                    Add(insert, Text(e.Status));
                    Add(insert, e.EventTime?.ToUnixTimeSeconds());
                    Add(insert, receivedAt);
                    Add(insert, Text(e.FieldsJson));
                    Add(insert, Text(e.RawText));
                    Add(insert, Text(status));
                    Add(insert, StatusProgression.Rank(status));
                    Add(insert, e.ErrorCode);
                    Add(insert, Text(e.ErrorTitle));
                    if (inbound) Add(insert, e.Consent switch { ConsentChange.OptOut => 1, ConsentChange.OptIn => 2, _ => 0 });
                    events.BatchCommands.Add(insert);
                }
            }
            // The reader starts on the lock's result; each event's result follows.
            await using var reader = await events.ExecuteReaderAsync().ConfigureAwait(false);
            for (int i = 0; i < deliveries.Count; i++)
            {
                int stored = 0, duplicates = 0;
                for (int j = 0; j < deliveries[i].Events.Count; j++)
                {
                    await reader.NextResultAsync().ConfigureAwait(false);
                    if (await reader.ReadAsync().ConfigureAwait(false)) stored++;
                    else duplicates++;
                }
                results[i] = new AppendResult(bodyIds[i], stored, duplicates);
                storedAll += stored;
            }
        }
        if (storedAll > 0)
        {
            await using var notify = new NpgsqlCommand($"SELECT pg_notify('{PostgresSchema.Channel}', $1)", connection, tx);
            notify.Parameters.Add(new NpgsqlParameter { Value = sender });
            await notify.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        return results;
    }

    private static void Add(NpgsqlBatchCommand command, object? value) =>
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });

    /// <summary>
    /// PostgreSQL's text cannot hold U+0000, which a body that is not JSON may contain; the byte-exact body is kept in
    /// bodies.body, so the parsed copy gives up only that character rather than the whole webhook.
    /// </summary>
    private static string? Text(string? value) => value?.Contains('\0', StringComparison.Ordinal) == true ? value.Replace('\0', '\uFFFD') : value;
}
