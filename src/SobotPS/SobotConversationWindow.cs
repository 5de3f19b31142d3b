using System;

namespace SobotPS
{
    /// <summary>Whether a free-form message to a number would be accepted now: the 24 hours after its last message to us.</summary>
    public sealed class SobotConversationWindow
    {
        internal SobotConversationWindow(string customerNumber, bool isOpen, DateTimeOffset? lastInboundAt, DateTimeOffset? expiresAt)
        {
            CustomerNumber = customerNumber;
            IsOpen = isOpen;
            LastInboundAt = lastInboundAt;
            ExpiresAt = expiresAt;
        }

        public string CustomerNumber { get; }
        public bool IsOpen { get; }
        /// <summary>The customer's last message, by its own timestamp; null when it never wrote.</summary>
        public DateTimeOffset? LastInboundAt { get; }
        /// <summary>When the window closes (or closed): 24 hours after the last message.</summary>
        public DateTimeOffset? ExpiresAt { get; }
    }
}
