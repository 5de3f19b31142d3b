using System;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// The receiver turned a long poll away (429): as many polls are waiting on it as it allows. Not an outage and not
    /// a failure: the waits ask again after <see cref="RetryAfter"/>, and a read without a wait is never turned away.
    /// </summary>
    public sealed class SobotReceiverBusyException : SobotReceiverException
    {
        public SobotReceiverBusyException(string message, TimeSpan retryAfter, Uri? requestUri, string? reason) : base(429, message, null, requestUri, reason)
        {
            RetryAfter = retryAfter;
        }

        /// <summary>How long the receiver asked the caller to wait before asking again (its Retry-After; 1 s when it gave none).</summary>
        public TimeSpan RetryAfter { get; }
    }
}
