using System.Data.Common;
using Sobot.Client.Receiver;

namespace Sobot.Receiver.Store;

/// <summary>
/// The column lists both stores select, and the one mapping from a row to a record: the stores differ in SQL
/// dialect, never in what a row means.
/// </summary>
internal static class StoreRows
{
    public const string EventColumns = "seq, kind, received_at, message_id, customer_number, status, event_time, fields, raw, effective_at";
    public const string StatusColumns = "message_id, status, status_time, seq, recipient_id, error_code, error_title, sent_at, delivered_at, read_at, failed_at";
    public const string OptOutColumns = "customer_number, since, source";
    public const string LastInboundColumns = "customer_number, last_inbound_at, message_id";
    /// <summary>seq, kind, effective_at, then the column of each queryable field (<see cref="ReceiverQueryFields.All"/>).</summary>
    public static readonly string EventKeyColumns = "seq, kind, effective_at" + string.Concat(ReceiverQueryFields.All.Select(f => ", " + f.Column));

    public static StoredEvent Event(DbDataReader r)
    {
        EventKindNames.TryParse(r.GetString(1), out var kind);
        return new StoredEvent
        {
            Seq = r.GetInt64(0),
            Kind = kind,
            ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
            MessageId = Text(r, 3),
            CustomerNumber = Text(r, 4),
            Status = Text(r, 5),
            EventTime = Seconds(r, 6),
            FieldsJson = r.GetString(7),
            RawText = r.GetString(8),
            EffectiveAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
        };
    }

    /// <summary>
    /// The conditions of <see cref="IEventStore.ReadEventsAsync"/> that both dialects write alike, each with <c>@</c>
    /// where its value goes (a store names or numbers the parameter): the kind, each queryable field given one value
    /// (<see cref="ReceiverQueryFields"/>, in their order), the effective time. A field given several values is the
    /// stores' own (<see cref="ManyValues"/>: SQLite's JSON array, PostgreSQL's array parameter).
    /// </summary>
    public static IEnumerable<(string Condition, object Value)> EventFilters(EventQuery query)
    {
        if (query.Kind is EventKind kind) yield return ("kind = @", kind.ToName());
        foreach (var field in ReceiverQueryFields.All)
            if (query.ValuesOf(field) is { Count: 1 } one) yield return (field.Column + " = @", one[0]);
        if (query.Since is DateTimeOffset since) yield return ("effective_at >= @", since.ToUnixTimeMilliseconds());
    }

    /// <summary>The queryable fields the query gives several values, each with its column and values (any matches).</summary>
    public static IEnumerable<(string Column, IReadOnlyList<string> Values)> ManyValues(EventQuery query)
    {
        foreach (var field in ReceiverQueryFields.All)
            if (query.ValuesOf(field) is { Count: > 1 } several) yield return (field.Column, several);
    }

    public static EventKeys Keys(DbDataReader r)
    {
        EventKindNames.TryParse(r.GetString(1), out var kind);
        var values = new string?[ReceiverQueryFields.All.Count];
        for (int i = 0; i < values.Length; i++) values[i] = Text(r, 3 + i);
        return new EventKeys(r.GetInt64(0), kind, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)), values);
    }

    /// <summary>The statement of <see cref="IEventStore.ReadEventKeysAsync"/>, the same in both dialects but for the parameter names.</summary>
    public static string EventKeysSql(string after, string limit) => $"SELECT {EventKeyColumns} FROM events WHERE seq > {after} ORDER BY seq LIMIT {limit}";

    public static MessageStatusRecord Status(DbDataReader r) => new()
    {
        MessageId = r.GetString(0),
        Status = r.GetString(1),
        Timestamp = Seconds(r, 2),
        Seq = r.GetInt64(3),
        RecipientId = Text(r, 4),
        ErrorCode = r.IsDBNull(5) ? null : r.GetInt32(5),
        ErrorTitle = Text(r, 6),
        SentAt = Seconds(r, 7),
        DeliveredAt = Seconds(r, 8),
        ReadAt = Seconds(r, 9),
        FailedAt = Seconds(r, 10),
    };

    public static OptOutRecord OptOut(DbDataReader r) =>
        new(r.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetString(2));

    public static LastInboundRecord LastInbound(DbDataReader r) =>
        new(r.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetString(2));

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? Seconds(DbDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(i));
}
