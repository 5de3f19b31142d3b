using System;

namespace Sobot.Client.Receiver
{
    /// <summary>A customer's latest message as the receiver knows it, by the message's own WhatsApp timestamp.</summary>
    public sealed class ReceiverLastInbound
    {
        public ReceiverLastInbound(string customerNumber, DateTimeOffset lastInboundAt, string messageId)
        {
            CustomerNumber = customerNumber;
            LastInboundAt = lastInboundAt;
            MessageId = messageId;
        }

        /// <summary>Digits only, as the receiver keeps it.</summary>
        public string CustomerNumber { get; }
        public DateTimeOffset LastInboundAt { get; }
        public string MessageId { get; }
    }
}
