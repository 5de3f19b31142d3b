using System;

namespace Sobot.Client
{
    /// <summary>
    /// A free-form message to a number whose 24-hour window is closed (or never opened): the API would refuse
    /// it, so it is not sent. Only a template may go outside the window.
    /// </summary>
    public sealed class SobotWindowClosedException : SobotException
    {
        public SobotWindowClosedException(string customerNumber, DateTimeOffset? lastInboundAt, DateTimeOffset? closedAt)
            : base(closedAt is DateTimeOffset closed
                ? $"The 24-hour window of {customerNumber} closed at {closed.ToUniversalTime():yyyy-MM-dd HH:mm} UTC (its last message was at {lastInboundAt!.Value.ToUniversalTime():yyyy-MM-dd HH:mm} UTC), so WhatsApp would refuse a free-form message; nothing was sent. Send an approved template instead, or wait until the customer writes again."
                : $"{customerNumber} has never written to us, so its 24-hour window never opened and WhatsApp would refuse a free-form message; nothing was sent. Send an approved template instead.")
        {
            CustomerNumber = customerNumber;
            LastInboundAt = lastInboundAt;
            ClosedAt = closedAt;
        }

        public string CustomerNumber { get; }
        public DateTimeOffset? LastInboundAt { get; }
        public DateTimeOffset? ClosedAt { get; }
    }
}
