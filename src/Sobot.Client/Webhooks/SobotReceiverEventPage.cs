using System.Collections.Generic;

namespace Sobot.Client.Webhooks
{
    /// <summary>One answer of the receiver's <c>GET /v1/events</c>: the events, the cursor to ask from next, and the store's head.</summary>
    public sealed class SobotReceiverEventPage
    {
        public SobotReceiverEventPage(IReadOnlyList<SobotWebhookEvent> events, long next, long? head = null)
        {
            Events = events;
            Next = next;
            Head = head;
        }

        public IReadOnlyList<SobotWebhookEvent> Events { get; }

        /// <summary>Pass as <c>after</c> of the next request.</summary>
        public long Next { get; }

        /// <summary>
        /// The highest seq the store had committed when the request was read, so a long poll can start there; null from
        /// a receiver too old to say.
        /// </summary>
        public long? Head { get; }
    }
}
