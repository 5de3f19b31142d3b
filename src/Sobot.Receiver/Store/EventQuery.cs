namespace Sobot.Receiver.Store;

/// <summary>Which events to read: those after a cursor, oldest first, narrowed by the filters that are set.</summary>
public sealed record EventQuery
{
    public const int MaxLimit = 1000;

    public long After { get; init; }
    public EventKind? Kind { get; init; }
    public string? CustomerNumber { get; init; }
    public string? MessageId { get; init; }
    /// <summary>Events whose own time (or, lacking one, arrival) is at or after this.</summary>
    public DateTimeOffset? Since { get; init; }
    public int Limit { get; init; } = 100;
}
