using System;

namespace Sobot.Client.Receiver
{
    /// <summary>A call to the webhook receiver's query API that failed. Never carries the query key.</summary>
    public class SobotReceiverException : SobotException
    {
        public SobotReceiverException(int statusCode, string message, Exception? inner = null, Uri? requestUri = null, string? reason = null) : base(message, inner)
        {
            StatusCode = statusCode;
            RequestUri = requestUri;
            Reason = reason;
        }

        /// <summary>HTTP status; 0 when the receiver could not be reached.</summary>
        public int StatusCode { get; }

        /// <summary>The URL asked, without its query string (never holds the key: that goes in a header).</summary>
        public Uri? RequestUri { get; }

        /// <summary>Why, in a few words (e.g. "Connection refused", "it answered 503: the store is not reachable").</summary>
        public string? Reason { get; }

        /// <summary>The query key was missing or wrong (401).</summary>
        public bool KeyRejected => StatusCode == 401;

        /// <summary>Worth asking again: not reached, or the store could not answer (503).</summary>
        public bool Transient => StatusCode == 0 || StatusCode == 503 || StatusCode == 502 || StatusCode == 504;
    }
}
