using Microsoft.Data.Sqlite;

namespace Sobot.Receiver.Store.Sqlite;

/// <summary>
/// The writer's prepared statements, compiled once on the writer connection and re-bound per row: at thousands of
/// events a second, re-parsing SQL would cost more than the inserts.
/// </summary>
internal sealed class SqliteWriteStatements : IDisposable
{
    private readonly SqliteCommand _insertBody;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _upsertStatus;
    private readonly SqliteCommand _setConsumer;
    private readonly SqliteCommand _pruneEvents;
    private readonly SqliteCommand _pruneBodies;

    public SqliteWriteStatements(SqliteConnection connection)
    {
        _insertBody = Prepare(connection, "INSERT INTO bodies(received_at, remote_address, body) VALUES ($received_at, $remote_address, $body) RETURNING id",
            "$received_at", "$remote_address", "$body");
        // OR IGNORE + the unique dedup index: a second delivery of an event returns no row and changes nothing.
        _insertEvent = Prepare(connection, """
            INSERT OR IGNORE INTO events(body_id, kind, dedup_key, message_id, customer_number, status, event_time, received_at, fields, raw)
            VALUES ($body_id, $kind, $dedup_key, $message_id, $customer_number, $status, $event_time, $received_at, $fields, $raw)
            RETURNING seq
            """,
            "$body_id", "$kind", "$dedup_key", "$message_id", "$customer_number", "$status", "$event_time", "$received_at", "$fields", "$raw");
        // SQLite evaluates every SET expression against the row as it was, so each CASE compares with the old rank.
        _upsertStatus = Prepare(connection, $"""
            INSERT INTO message_status(message_id, status, rank, status_time, seq, recipient_id, error_code, error_title, sent_at, delivered_at, read_at, failed_at)
            VALUES ($message_id, $status, $rank, $status_time, $seq, $recipient_id, $error_code, $error_title, $sent_at, $delivered_at, $read_at, $failed_at)
            ON CONFLICT(message_id) DO UPDATE SET
                status = CASE WHEN excluded.rank > rank THEN excluded.status ELSE status END,
                status_time = CASE WHEN excluded.rank > rank THEN excluded.status_time ELSE status_time END,
                seq = CASE WHEN excluded.rank > rank THEN excluded.seq ELSE seq END,
                rank = max(rank, excluded.rank),
                recipient_id = coalesce(recipient_id, excluded.recipient_id),
                error_code = coalesce(error_code, excluded.error_code),
                error_title = coalesce(error_title, excluded.error_title),
                {Earliest("sent_at")},
                {Earliest("delivered_at")},
                {Earliest("read_at")},
                {Earliest("failed_at")}
            """,
            "$message_id", "$status", "$rank", "$status_time", "$seq", "$recipient_id", "$error_code", "$error_title", "$sent_at", "$delivered_at", "$read_at", "$failed_at");
        _setConsumer = Prepare(connection, """
            INSERT INTO consumers(name, position, updated_at) VALUES ($name, $position, $updated_at)
            ON CONFLICT(name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            """, "$name", "$position", "$updated_at");
        // By seq, which follows arrival here (one writer): the scan stops at the first young event it has no use for.
        _pruneEvents = Prepare(connection, "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE received_at < $cutoff ORDER BY seq LIMIT $limit)",
            "$cutoff", "$limit");
        _pruneBodies = Prepare(connection, "DELETE FROM bodies WHERE id IN (SELECT id FROM bodies WHERE received_at < $cutoff ORDER BY id LIMIT $limit)",
            "$cutoff", "$limit");
    }

    /// <summary>When a stage happened: the earliest timestamp seen for it, whatever order the webhooks came in.</summary>
    private static string Earliest(string column) =>
        $"{column} = CASE WHEN {column} IS NULL THEN excluded.{column} WHEN excluded.{column} IS NULL THEN {column} ELSE min({column}, excluded.{column}) END";

    public void Enlist(SqliteTransaction transaction)
    {
        _insertBody.Transaction = transaction;
        _insertEvent.Transaction = transaction;
        _upsertStatus.Transaction = transaction;
        _setConsumer.Transaction = transaction;
        _pruneEvents.Transaction = transaction;
        _pruneBodies.Transaction = transaction;
    }

    public int Prune(DateTimeOffset receivedBefore, int maxRows)
    {
        long cutoff = receivedBefore.ToUnixTimeMilliseconds();
        Bind(_pruneEvents, cutoff, maxRows);
        int events = _pruneEvents.ExecuteNonQuery();
        Bind(_pruneBodies, cutoff, maxRows);
        return events + _pruneBodies.ExecuteNonQuery();
    }

    public AppendResult Append(WebhookDelivery delivery)
    {
        long receivedAt = delivery.ReceivedAt.ToUnixTimeMilliseconds();
        Bind(_insertBody, receivedAt, delivery.RemoteAddress, delivery.Body);
        long bodyId = (long)_insertBody.ExecuteScalar()!;
        int stored = 0, duplicates = 0;
        foreach (var e in delivery.Events)
        {
            Bind(_insertEvent, bodyId, e.Kind.ToName(), e.DedupKey, e.MessageId, e.CustomerNumber, e.Status,
                e.EventTime?.ToUnixTimeSeconds(), receivedAt, e.FieldsJson, e.RawText);
            if (_insertEvent.ExecuteScalar() is not long seq)
            {
                duplicates++;
                continue;
            }
            stored++;
            if (e.Kind == EventKind.Status && e.MessageId != null && e.Status != null)
                UpsertStatus(e, seq);
        }
        return new AppendResult(bodyId, stored, duplicates);
    }

    private void UpsertStatus(NewEvent e, long seq)
    {
        string status = e.Status!.ToLowerInvariant();
        long? time = e.EventTime?.ToUnixTimeSeconds();
        Bind(_upsertStatus, e.MessageId, status, StatusProgression.Rank(status), time, seq, e.CustomerNumber, e.ErrorCode, e.ErrorTitle,
            status == "sent" ? time : null, status == "delivered" ? time : null, status == "read" ? time : null, status == "failed" ? time : null);
        _upsertStatus.ExecuteNonQuery();
    }

    public ConsumerPosition SetConsumer(string name, long position, DateTimeOffset now)
    {
        Bind(_setConsumer, name, position, now.ToUnixTimeMilliseconds());
        _setConsumer.ExecuteNonQuery();
        return new ConsumerPosition(name, position, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()));
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (int i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    public void Dispose()
    {
        _insertBody.Dispose();
        _insertEvent.Dispose();
        _upsertStatus.Dispose();
        _setConsumer.Dispose();
        _pruneEvents.Dispose();
        _pruneBodies.Dispose();
    }
}
