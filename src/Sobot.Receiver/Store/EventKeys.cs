using Sobot.Client.Receiver;

namespace Sobot.Receiver.Store;

/// <summary>
/// What the filters of <see cref="EventQuery"/> look at in an event, without its fields or raw text (a raw body may be
/// 3 MB): enough to tell which waiting long polls a commit concerns. <see cref="Values"/> holds the event's column of
/// each queryable field, in the order of <see cref="ReceiverQueryFields.All"/>.
/// </summary>
public sealed class EventKeys : IEquatable<EventKeys>
{
    public EventKeys(long seq, EventKind kind, DateTimeOffset effectiveAt, IReadOnlyList<string?> values)
    {
        if (values.Count != ReceiverQueryFields.All.Count)
            throw new ArgumentException($"{ReceiverQueryFields.All.Count} values expected (one a queryable field); got {values.Count}.", nameof(values));
        Seq = seq;
        Kind = kind;
        EffectiveAt = effectiveAt;
        Values = values;
    }

    /// <summary>The keys of an event with the queryable fields of the first query API (customer number, message id).</summary>
    public EventKeys(long seq, EventKind kind, string? customerNumber, string? messageId, DateTimeOffset effectiveAt)
        : this(seq, kind, effectiveAt, [customerNumber, messageId])
    {
    }

    public long Seq { get; }
    public EventKind Kind { get; }
    public DateTimeOffset EffectiveAt { get; }
    public IReadOnlyList<string?> Values { get; }

    /// <summary>A view of <see cref="Values"/>.</summary>
    public string? CustomerNumber => ValueOf(ReceiverQueryFields.CustomerNumber);

    /// <summary>A view of <see cref="Values"/>.</summary>
    public string? MessageId => ValueOf(ReceiverQueryFields.MessageId);

    /// <summary>The event's value of the field (its column), or null.</summary>
    public string? ValueOf(ReceiverQueryField field)
    {
        for (int i = 0; i < ReceiverQueryFields.All.Count; i++)
            if (ReferenceEquals(ReceiverQueryFields.All[i], field)) return Values[i];
        throw new ArgumentException($"{field.Name} is not a queryable field.", nameof(field));
    }

    public bool Equals(EventKeys? other) => other is not null && Seq == other.Seq && Kind == other.Kind
        && EffectiveAt == other.EffectiveAt && Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as EventKeys);

    public override int GetHashCode() => HashCode.Combine(Seq, Kind, EffectiveAt);

    public override string ToString() =>
        $"EventKeys {{ Seq = {Seq}, Kind = {Kind}, EffectiveAt = {EffectiveAt:O}, "
        + string.Join(", ", ReceiverQueryFields.All.Select((f, i) => $"{f.Name} = {Values[i] ?? "null"}")) + " }";
}
