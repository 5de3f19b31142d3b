using System;

namespace Sobot.Client.Bulk
{
    public sealed class BulkSendOptions
    {
        /// <summary>
        /// A hard cap on requests in flight at once; null (the default) lets <see cref="Http.AdaptiveConcurrency"/>
        /// choose (rate × latency, at most <see cref="Http.AdaptiveConcurrency.DefaultMaximum"/>).
        /// </summary>
        public int? ThrottleLimit { get; set; }
        public int? MaximumRetryCount { get; set; }
        /// <summary>A cap for this run only, on top of the connection's pacing.</summary>
        public double? MaxMessagesPerSecond { get; set; }
        public SendJournal? Journal { get; set; }
        /// <summary>Send rows an earlier run left unknown (may double them).</summary>
        public bool RetryUnknown { get; set; }
        /// <summary>Send rows an earlier run saw refused for good (e.g. 400) again.</summary>
        public bool RetryFailed { get; set; }
        /// <summary>Send a row identical to an earlier row of the same run only once (the repeats are skipped).</summary>
        public bool SkipDuplicates { get; set; }
        /// <summary>
        /// When the run is stopped (Ctrl+C, rejected keys, a journal that cannot be written), requests already
        /// on the wire get this long to answer, so their outcomes are known instead of unknown.
        /// </summary>
        public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(5);
        /// <summary>The checks each row passes before it is sent (<see cref="BulkSender.ScreenAsync"/>): opt-outs, the window, the fallback template.</summary>
        public PreSend.PreSendStep? PreSend { get; set; }
    }
}
