using System;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// A wait ended while its receiver could not be reached (or its store could not answer): an outage, not "no
    /// answer". Says where (the query URL, never the key), since when and why.
    /// </summary>
    public sealed class SobotReceiverUnavailableException : SobotReceiverException
    {
        public SobotReceiverUnavailableException(SobotReceiverException last, DateTimeOffset unreachableSince, TimeSpan unreachableFor)
            : base(last.StatusCode, Describe(last, unreachableSince, unreachableFor), last, last.RequestUri, last.Reason)
        {
            UnreachableSince = unreachableSince;
            UnreachableFor = unreachableFor;
        }

        /// <summary>When the receiver stopped answering (the first failed call of the outage the wait ended in).</summary>
        public DateTimeOffset UnreachableSince { get; }

        /// <summary>How long it had not answered when the wait ended.</summary>
        public TimeSpan UnreachableFor { get; }

        private static string Describe(SobotReceiverException last, DateTimeOffset since, TimeSpan length) =>
            $"The webhook receiver at {last.RequestUri?.ToString() ?? "its query URL"} was unreachable for the last {Durations.Describe(length)} of the wait " +
            $"(since {since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC): {last.Reason ?? last.Message}. Nothing could be read from it in that time.";
    }
}
