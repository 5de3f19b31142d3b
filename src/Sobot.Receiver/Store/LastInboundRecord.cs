namespace Sobot.Receiver.Store;

/// <summary>
/// A customer's latest inbound message by the message's own WhatsApp timestamp (not its arrival): the start of the
/// 24-hour window, which callers compute themselves.
/// </summary>
public sealed record LastInboundRecord(string CustomerNumber, DateTimeOffset LastInboundAt, string MessageId);
