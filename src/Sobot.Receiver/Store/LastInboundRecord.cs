namespace Sobot.Receiver.Store;

/// <summary>
/// A customer's latest inbound message by effective time (<see cref="EffectiveTime"/>: the WhatsApp timestamp, but
/// never later than the message's arrival plus the allowed skew): the start of the 24-hour window, which callers
/// compute themselves.
/// </summary>
public sealed record LastInboundRecord(string CustomerNumber, DateTimeOffset LastInboundAt, string MessageId);
