namespace Sobot.Receiver.Store;

/// <summary>What /healthz reports about the store: nothing secret, nothing about the events' contents.</summary>
public sealed record StoreHealth(long EventCount, long LastSeq, DateTimeOffset? LastEventAt);
