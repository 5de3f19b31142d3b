namespace Sobot.Receiver.Store;

/// <summary>An event as the store hands it back, with its place in the store's order.</summary>
public sealed record StoredEvent
{
    /// <summary>The cursor: grows with every stored event, never reused.</summary>
    public required long Seq { get; init; }
    public required EventKind Kind { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public string? MessageId { get; init; }
    public string? CustomerNumber { get; init; }
    public string? Status { get; init; }
    /// <summary>WhatsApp's timestamp, as it came.</summary>
    public DateTimeOffset? EventTime { get; init; }
    /// <summary>The time decisions use (<see cref="EffectiveTime"/>): <see cref="EventTime"/> unless it is past arrival plus the allowed skew.</summary>
    public required DateTimeOffset EffectiveAt { get; init; }
    public required string FieldsJson { get; init; }
    public required string RawText { get; init; }
}
