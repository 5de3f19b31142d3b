using System;

namespace SobotPS
{
    /// <summary>
    /// Test-SobotConnection -Detailed: Sobot and the webhook receiver, each on its own. Sobot answering is what a
    /// send needs; the receiver may be down meanwhile (sends then use the opt-out list kept on disk).
    /// </summary>
    public sealed class SobotConnectionTest
    {
        internal SobotConnectionTest(Uri? baseUri, bool sobot, string? sobotError, Uri? receiverUri, bool? receiver, string? receiverError, DateTimeOffset? optOutListReadAt)
        {
            BaseUri = baseUri;
            Sobot = sobot;
            SobotError = sobotError;
            ReceiverUri = receiverUri;
            Receiver = receiver;
            ReceiverError = receiverError;
            OptOutListReadAt = optOutListReadAt;
            TestedAt = DateTimeOffset.Now;
        }

        public Uri? BaseUri { get; }

        /// <summary>True when Sobot accepted the keys now.</summary>
        public bool Sobot { get; }

        public string? SobotError { get; }

        public Uri? ReceiverUri { get; }

        /// <summary>True when the receiver answered with the query key; false when it could not be used; null when none is connected.</summary>
        public bool? Receiver { get; }

        public string? ReceiverError { get; }

        /// <summary>When the opt-out list kept on disk for this receiver was read from it; null when none is kept.</summary>
        public DateTimeOffset? OptOutListReadAt { get; }

        public DateTimeOffset TestedAt { get; }
    }
}
