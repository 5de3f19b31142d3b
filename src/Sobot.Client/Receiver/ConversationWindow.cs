using System;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// WhatsApp's customer service window: free-form messages are allowed for 24 hours after the customer's last
    /// message (its own timestamp). Worked out here rather than in the receiver, so the receiver only records facts
    /// and the rule lives in one place on the sending side.
    /// </summary>
    public sealed class ConversationWindow
    {
        public static readonly TimeSpan Length = TimeSpan.FromHours(24);

        private ConversationWindow(string customerNumber, bool isOpen, DateTimeOffset? lastInboundAt, DateTimeOffset? expiresAt)
        {
            CustomerNumber = customerNumber;
            IsOpen = isOpen;
            LastInboundAt = lastInboundAt;
            ExpiresAt = expiresAt;
        }

        /// <summary>The number as the caller asked about it.</summary>
        public string CustomerNumber { get; }

        /// <summary>True from the last inbound message until (not including) <see cref="ExpiresAt"/>.</summary>
        public bool IsOpen { get; }

        /// <summary>Null when the customer never wrote (the window never opened).</summary>
        public DateTimeOffset? LastInboundAt { get; }

        /// <summary>24 hours after <see cref="LastInboundAt"/>: in the future while open, when it closed otherwise.</summary>
        public DateTimeOffset? ExpiresAt { get; }

        /// <param name="customerNumber">The number asked about.</param>
        /// <param name="lastInbound">The receiver's answer for that number; null when it has none.</param>
        /// <param name="now">The clock's current time.</param>
        public static ConversationWindow Compute(string customerNumber, ReceiverLastInbound? lastInbound, DateTimeOffset now)
        {
            if (lastInbound == null) return new ConversationWindow(customerNumber, false, null, null);
            var expires = lastInbound.LastInboundAt + Length;
            return new ConversationWindow(customerNumber, now < expires, lastInbound.LastInboundAt, expires);
        }
    }
}
