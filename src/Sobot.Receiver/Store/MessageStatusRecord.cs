namespace Sobot.Receiver.Store;

/// <summary>
/// Where a sent message stands: the furthest status reached (<see cref="Sobot.Client.Webhooks.StatusProgression"/>) and when each
/// stage happened, by WhatsApp's timestamps.
/// </summary>
public sealed record MessageStatusRecord
{
    public required string MessageId { get; init; }
    public required string Status { get; init; }
    /// <summary>The time of the status event that set <see cref="Status"/>.</summary>
    public DateTimeOffset? Timestamp { get; init; }
    /// <summary>The seq of the event that set <see cref="Status"/>.</summary>
    public long Seq { get; init; }
    public string? RecipientId { get; init; }
    public int? ErrorCode { get; init; }
    public string? ErrorTitle { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public DateTimeOffset? ReadAt { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
}
