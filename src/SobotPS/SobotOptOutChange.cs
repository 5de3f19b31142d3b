using System;

namespace SobotPS
{
    /// <summary>One number Add-SobotOptOut or Remove-SobotOptOut acted on, and what it changed.</summary>
    public sealed class SobotOptOutChange
    {
        internal SobotOptOutChange(string customerNumber, SobotOptOutChangeKind change, DateTimeOffset? since, string? source)
        {
            CustomerNumber = customerNumber;
            Change = change;
            Since = since;
            Source = source;
        }

        /// <summary>The number as the list keys it (digits, country code first).</summary>
        public string CustomerNumber { get; }

        public SobotOptOutChangeKind Change { get; }

        /// <summary>Since when the number is on the list (Added, AlreadyThere), or was until now (Removed); null when it was not on it.</summary>
        public DateTimeOffset? Since { get; }

        /// <summary>Who or what put it there: manual:&lt;who&gt;, or inbound:&lt;message id&gt; for a STOP.</summary>
        public string? Source { get; }

        public override string ToString() => $"{CustomerNumber}: {Change}";
    }
}
