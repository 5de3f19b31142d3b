namespace Sobot.Receiver.Store;

/// <summary>How far a named consumer has read: the seq of the last event it finished with.</summary>
public sealed record ConsumerPosition(string Name, long Position, DateTimeOffset? UpdatedAt);
