using System;

namespace Sobot.Client.Receiver
{
    /// <summary>Which events <c>GET /v1/events</c> returns.</summary>
    public sealed class ReceiverEventFilter
    {
        /// <summary>inbound, status or unknown; null for all.</summary>
        public string? Type { get; set; }
        public string? CustomerNumber { get; set; }
        public string? MessageId { get; set; }
        /// <summary>Events whose own timestamp is at or after this.</summary>
        public DateTimeOffset? Since { get; set; }
    }
}
