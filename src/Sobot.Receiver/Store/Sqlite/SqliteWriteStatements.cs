using Microsoft.Data.Sqlite;
using Sobot.Client.Webhooks;

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
    private readonly SqliteCommand _upsertLastInbound;
    private readonly SqliteCommand _getDecision;
    private readonly SqliteCommand _setDecision;
    private readonly SqliteCommand _insertOptOut;
    private readonly SqliteCommand _deleteOptOut;
    private readonly SqliteCommand _getOptOut;
    private readonly SqliteCommand _pruneEvents;
    private readonly SqliteCommand _pruneBodies;

    public SqliteWriteStatements(SqliteConnection connection)
    {
        Connection = connection;
        _insertBody = Prepare(connection, "INSERT INTO bodies(received_at, remote_address, body) VALUES ($received_at, $remote_address, $body) RETURNING id",
            "$received_at", "$remote_address", "$body");
        // OR IGNORE + the unique dedup index: a second delivery of an event returns no row and changes nothing.
        _insertEvent = Prepare(connection, """
            INSERT OR IGNORE INTO events(body_id, kind, dedup_key, message_id, customer_number, status, event_time, received_at, fields, raw)
            VALUES ($body_id, $kind, $dedup_key, $message_id, $customer_number, $status, $event_time, $received_at, $fields, $raw)
            RETURNING seq, effective_at
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
        // Only a later message (by effective time) moves it: webhooks arrive in any order, and the window counts from the newest.
        _upsertLastInbound = Prepare(connection, """
            INSERT INTO last_inbound(customer_number, last_inbound_at, message_id) VALUES ($number, $at, $message_id)
            ON CONFLICT(customer_number) DO UPDATE SET last_inbound_at = excluded.last_inbound_at, message_id = excluded.message_id
            WHERE excluded.last_inbound_at > last_inbound_at
            """, "$number", "$at", "$message_id");
        _getDecision = Prepare(connection, "SELECT decided_at FROM consent_decisions WHERE customer_number = $number", "$number");
        // Overwrites: a stop or start is checked against the kept time before it gets here, and a manual decision is
        // made now whatever was kept (a time pushed ahead by a forged timestamp must not outlive it).
        _setDecision = Prepare(connection, """
            INSERT INTO consent_decisions(customer_number, decided_at) VALUES ($number, $at)
            ON CONFLICT(customer_number) DO UPDATE SET decided_at = excluded.decided_at
            """, "$number", "$at");
        // DO NOTHING: a number already on the list keeps its first since and source.
        _insertOptOut = Prepare(connection, "INSERT INTO opt_outs(customer_number, since, source) VALUES ($number, $since, $source) ON CONFLICT(customer_number) DO NOTHING",
            "$number", "$since", "$source");
        _deleteOptOut = Prepare(connection, "DELETE FROM opt_outs WHERE customer_number = $number", "$number");
        _getOptOut = Prepare(connection, $"SELECT {StoreRows.OptOutColumns} FROM opt_outs WHERE customer_number = $number", "$number");
        // By seq, which follows arrival here (one writer): the scan stops at the first young event it has no use for.
        _pruneEvents = Prepare(connection, "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE received_at < $cutoff ORDER BY seq LIMIT $limit)",
            "$cutoff", "$limit");
        _pruneBodies = Prepare(connection, "DELETE FROM bodies WHERE id IN (SELECT id FROM bodies WHERE received_at < $cutoff ORDER BY id LIMIT $limit)",
            "$cutoff", "$limit");
    }

    /// <summary>When a stage happened: the earliest timestamp seen for it, whatever order the webhooks came in.</summary>
    private static string Earliest(string column) =>
        $"{column} = CASE WHEN {column} IS NULL THEN excluded.{column} WHEN excluded.{column} IS NULL THEN {column} ELSE min({column}, excluded.{column}) END";

    /// <summary>The writer's connection, for the statements both stores share (<see cref="ConsumerStatements"/>).</summary>
    public SqliteConnection Connection { get; }

    /// <summary>The transaction being written, set by <see cref="Enlist"/>.</summary>
    public SqliteTransaction? Transaction { get; private set; }

    public void Enlist(SqliteTransaction transaction)
    {
        Transaction = transaction;
        _insertBody.Transaction = transaction;
        _insertEvent.Transaction = transaction;
        _upsertStatus.Transaction = transaction;
        foreach (var command in ConsentCommands) command.Transaction = transaction;
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

    private IEnumerable<SqliteCommand> ConsentCommands => [_upsertLastInbound, _getDecision, _setDecision, _insertOptOut, _deleteOptOut, _getOptOut];

    public AppendResult Append(WebhookDelivery delivery)
    {
        long receivedAt = delivery.ReceivedAt.ToUnixTimeMilliseconds();
        Bind(_insertBody, receivedAt, delivery.RemoteAddress, delivery.Body);
        long bodyId = (long)_insertBody.ExecuteScalar()!;
        int stored = 0, duplicates = 0;
        foreach (var e in delivery.Events)
        {
            Bind(_insertEvent, bodyId, e.Kind.ToName(), e.DedupKey, e.MessageId, e.CustomerNumber, e.Status, e.EventTime?.ToUnixTimeSeconds(), receivedAt, e.FieldsJson, e.RawText);
            long seq, effective;
            // The effective time comes back from the generated column: the rule has one definition (EffectiveTime.Sql).
            using (var inserted = _insertEvent.ExecuteReader())
            {
                if (!inserted.Read())
                {
                    duplicates++;
                    continue;
                }
                (seq, effective) = (inserted.GetInt64(0), inserted.GetInt64(1));
            }
            stored++;
            if (e.Kind == EventKind.Status && e.MessageId != null && e.Status != null)
                UpsertStatus(e, seq);
            else if (e.Kind == EventKind.Inbound && e.MessageId != null && e.CustomerNumber != null)
                ApplyInbound(e, effective);
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

    /// <summary>Only for events new to the store, so a webhook delivered twice never applies a stop or start twice.</summary>
    private void ApplyInbound(NewEvent e, long at)
    {
        string number = e.CustomerNumber!;
        Bind(_upsertLastInbound, number, at, e.MessageId);
        _upsertLastInbound.ExecuteNonQuery();
        if (e.Consent == ConsentChange.None) return;
        // A stop or start older than the latest decision arrived late: the customer has since said otherwise.
        Bind(_getDecision, number);
        if (_getDecision.ExecuteScalar() is long decided && at < decided) return;
        Decide(number, at);
        if (e.Consent == ConsentChange.OptOut) InsertOptOut(number, at, "inbound:" + e.MessageId);
        else DeleteOptOut(number);
    }

    public OptOutRecord AddOptOut(string number, string source, DateTimeOffset since)
    {
        long at = since.ToUnixTimeMilliseconds();
        Decide(number, at);
        InsertOptOut(number, at, source);
        Bind(_getOptOut, number);
        using var reader = _getOptOut.ExecuteReader();
        reader.Read();
        return StoreRows.OptOut(reader);
    }

    public bool RemoveOptOut(string number, DateTimeOffset now)
    {
        Decide(number, now.ToUnixTimeMilliseconds());
        return DeleteOptOut(number);
    }

    /// <summary>In whole seconds, as effective times are: a message of the same second that arrives after a decision counts.</summary>
    private void Decide(string number, long at)
    {
        Bind(_setDecision, number, at / 1000 * 1000);
        _setDecision.ExecuteNonQuery();
    }

    private void InsertOptOut(string number, long since, string source)
    {
        Bind(_insertOptOut, number, since, source);
        _insertOptOut.ExecuteNonQuery();
    }

    private bool DeleteOptOut(string number)
    {
        Bind(_deleteOptOut, number);
        return _deleteOptOut.ExecuteNonQuery() > 0;
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
        foreach (var command in ConsentCommands) command.Dispose();
        _pruneEvents.Dispose();
        _pruneBodies.Dispose();
    }
}
