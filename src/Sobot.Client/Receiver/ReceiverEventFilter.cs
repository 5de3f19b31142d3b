using System;
using System.Collections.Generic;

namespace Sobot.Client.Receiver
{
    /// <summary>Which events <c>GET /v1/events</c> returns.</summary>
    public sealed class ReceiverEventFilter
    {
        /// <summary>inbound, status or unknown; null for all.</summary>
        public string? Type { get; set; }
        /// <summary>Events of any of these customers (canonical numbers, <see cref="Validation.PhoneNumberNormalizer.Canonical"/>); null or empty for all.</summary>
        public IReadOnlyCollection<string>? CustomerNumbers { get; set; }
        public string? MessageId { get; set; }
        /// <summary>Events whose effective time (WhatsApp's timestamp, never later than their arrival) is at or after this.</summary>
        public DateTimeOffset? Since { get; set; }
    }
}
