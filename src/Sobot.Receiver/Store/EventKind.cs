namespace Sobot.Receiver.Store;

/// <summary>What a stored event is; its lower-case name is what the query API says in <c>type</c>.</summary>
public enum EventKind
{
    Inbound,
    Status,
    Unknown,
}
