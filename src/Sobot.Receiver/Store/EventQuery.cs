using Sobot.Client.Receiver;

namespace Sobot.Receiver.Store;

/// <summary>Which events to read: those after a cursor, oldest first, narrowed by the filters that are set.</summary>
public sealed record EventQuery
{
    public const int MaxLimit = 1000;

    /// <summary>Most customer numbers one query may name.</summary>
    public const int MaxCustomerNumbers = ReceiverQueryFields.MaxValues;

    public long After { get; init; }
    public EventKind? Kind { get; init; }

    /// <summary>
    /// The values of the queryable fields (<see cref="ReceiverQueryFields"/>) this query filters on, by field name, each
    /// normalised and non-empty: an event matches when its column holds one of the field's values.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Events of any of these customers (canonical numbers, <see cref="NumberKey"/>); null or empty for all. A view of <see cref="Values"/>.</summary>
    public IReadOnlyList<string>? CustomerNumbers
    {
        get => ValuesOf(ReceiverQueryFields.CustomerNumber);
        init => Values = With(ReceiverQueryFields.CustomerNumber, value);
    }

    /// <summary>A view of <see cref="Values"/>.</summary>
    public string? MessageId
    {
        get => ValuesOf(ReceiverQueryFields.MessageId)?[0];
        init => Values = With(ReceiverQueryFields.MessageId, value is null ? null : [value]);
    }

    /// <summary>Events whose effective time (<see cref="EffectiveTime"/>) is at or after this.</summary>
    public DateTimeOffset? Since { get; init; }
    public int Limit { get; init; } = 100;

    /// <summary>The field's values, or null when the query does not filter on it.</summary>
    public IReadOnlyList<string>? ValuesOf(ReceiverQueryField field) => Values.TryGetValue(field.Name, out var values) && values.Count > 0 ? values : null;

    private Dictionary<string, IReadOnlyList<string>> With(ReceiverQueryField field, IReadOnlyList<string>? values)
    {
        var all = new Dictionary<string, IReadOnlyList<string>>(Values, StringComparer.Ordinal);
        if (values is { Count: > 0 }) all[field.Name] = values; else all.Remove(field.Name);
        return all;
    }
}
