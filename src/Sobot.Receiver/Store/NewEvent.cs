namespace Sobot.Receiver.Store;

/// <summary>
/// One event parsed out of a webhook body, ready to store. <see cref="DedupKey"/> is its identity: a second event
/// with the same key is the same event delivered again and is not stored twice.
/// </summary>
public sealed record NewEvent
{
    public required EventKind Kind { get; init; }
    public required string DedupKey { get; init; }
    /// <summary>The wamid: the inbound message's own id, or the id of the sent message a status is about.</summary>
    public string? MessageId { get; init; }
    /// <summary>
    /// The customer's number in its canonical form (<see cref="NumberKey"/>): who sent an inbound message, or whom a
    /// status's message went to (when said); null when the webhook gave none or it is not a number.
    /// </summary>
    public string? CustomerNumber { get; init; }
    /// <summary>sent, delivered, read, failed (statuses only).</summary>
    public string? Status { get; init; }
    /// <summary>The event's own time (WhatsApp's <c>timestamp</c>), not its arrival.</summary>
    public DateTimeOffset? EventTime { get; init; }
    public int? ErrorCode { get; init; }
    public string? ErrorTitle { get; init; }
    /// <summary>For an inbound message: whether it was a stop or start word (<see cref="ConsentWords"/>).</summary>
    public ConsentChange Consent { get; init; }
    /// <summary>The parsed fields as one JSON object, written out as they are by the query API.</summary>
    public required string FieldsJson { get; init; }
    /// <summary>The event's JSON exactly as it sat in the body (the whole body when it was not JSON).</summary>
    public required string RawText { get; init; }
}
