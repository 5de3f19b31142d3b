using System;

namespace SobotPS
{
    /// <summary>A number that asked not to be messaged, since when, and who or what put it on the list.</summary>
    public sealed class SobotOptOut
    {
        internal SobotOptOut(string customerNumber, DateTimeOffset since, string source)
        {
            CustomerNumber = customerNumber;
            Since = since;
            Source = source;
        }

        public string CustomerNumber { get; }
        public DateTimeOffset Since { get; }
        /// <summary>inbound:&lt;wamid&gt; for a STOP message, manual:&lt;who&gt; for Add-SobotOptOut.</summary>
        public string Source { get; }
    }
}
