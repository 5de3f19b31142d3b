using System.Collections.Generic;

namespace Sobot.Client.Webhooks
{
    /// <summary>One answer of the receiver's <c>GET /v1/events</c>: the events, and the cursor to ask from next.</summary>
    public sealed class SobotReceiverEventPage
    {
        public SobotReceiverEventPage(IReadOnlyList<SobotWebhookEvent> events, long next)
        {
            Events = events;
            Next = next;
        }

        public IReadOnlyList<SobotWebhookEvent> Events { get; }

        /// <summary>Pass as <c>after</c> of the next request.</summary>
        public long Next { get; }
    }
}
