namespace Sobot.Receiver.Store;

/// <summary>What a committed delivery added: events new to the store, and events it already had.</summary>
public sealed record AppendResult(long BodyId, int Stored, int Duplicates);
