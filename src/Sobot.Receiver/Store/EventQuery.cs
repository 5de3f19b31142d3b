namespace Sobot.Receiver.Store;

/// <summary>Which events to read: those after a cursor, oldest first, narrowed by the filters that are set.</summary>
public sealed record EventQuery
{
    public const int MaxLimit = 1000;

    /// <summary>Most customer numbers one query may name.</summary>
    public const int MaxCustomerNumbers = 1000;

    public long After { get; init; }
    public EventKind? Kind { get; init; }
    /// <summary>Events of any of these customers (canonical numbers, <see cref="NumberKey"/>); null or empty for all.</summary>
    public IReadOnlyList<string>? CustomerNumbers { get; init; }
    public string? MessageId { get; init; }
    /// <summary>Events whose effective time (<see cref="EffectiveTime"/>) is at or after this.</summary>
    public DateTimeOffset? Since { get; init; }
    public int Limit { get; init; } = 100;
}
