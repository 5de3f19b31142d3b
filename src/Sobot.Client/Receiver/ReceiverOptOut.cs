using System;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// A number on the receiver's suppression list. <see cref="Source"/> is <c>inbound:&lt;wamid&gt;</c> when the
    /// customer sent a stop word, <c>manual:&lt;who&gt;</c> when a person added it.
    /// </summary>
    public sealed class ReceiverOptOut
    {
        public ReceiverOptOut(string customerNumber, DateTimeOffset since, string source)
        {
            CustomerNumber = customerNumber;
            Since = since;
            Source = source;
        }

        /// <summary>Digits only, as the receiver keeps it.</summary>
        public string CustomerNumber { get; }
        public DateTimeOffset Since { get; }
        public string Source { get; }
    }
}
