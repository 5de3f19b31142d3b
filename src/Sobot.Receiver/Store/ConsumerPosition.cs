namespace Sobot.Receiver.Store;

/// <summary>
/// How far a named consumer has read: the seq of the last event it finished with. <see cref="Lease"/> is set while a
/// reader holds it (a lease that has run out is not shown).
/// </summary>
public sealed record ConsumerPosition(string Name, long Position, DateTimeOffset? UpdatedAt)
{
    public ConsumerLease? Lease { get; init; }
}
