namespace Sobot.Receiver.Store.Postgres;

/// <summary>
/// The forward-only status rule in PostgreSQL's words, for an <c>INSERT INTO message_status AS m ...</c>: the same rule
/// as the SQLite store (<see cref="Sobot.Client.Webhooks.StatusProgression"/>). The higher rank wins (failed, rank 4, is terminal); each stage
/// keeps its earliest time (LEAST ignores NULL); recipient and error come from the first event that had them. Used by
/// every append and by copy-store, so a copied status merges exactly as a posted one would.
/// </summary>
internal static class PostgresStatusMerge
{
    public const string Columns = "message_id, status, rank, status_time, seq, recipient_id, error_code, error_title, sent_at, delivered_at, read_at, failed_at";

    public const string OnConflict = """
        ON CONFLICT (message_id) DO UPDATE SET
            status = CASE WHEN excluded.rank > m.rank THEN excluded.status ELSE m.status END,
            status_time = CASE WHEN excluded.rank > m.rank THEN excluded.status_time ELSE m.status_time END,
            seq = CASE WHEN excluded.rank > m.rank THEN excluded.seq ELSE m.seq END,
            rank = greatest(m.rank, excluded.rank),
            recipient_id = coalesce(m.recipient_id, excluded.recipient_id),
            error_code = coalesce(m.error_code, excluded.error_code),
            error_title = coalesce(m.error_title, excluded.error_title),
            sent_at = least(m.sent_at, excluded.sent_at),
            delivered_at = least(m.delivered_at, excluded.delivered_at),
            read_at = least(m.read_at, excluded.read_at),
            failed_at = least(m.failed_at, excluded.failed_at)
        """;
}
