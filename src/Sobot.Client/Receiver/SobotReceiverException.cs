using System;

namespace Sobot.Client.Receiver
{
    /// <summary>A call to the webhook receiver's query API that failed. Never carries the query key.</summary>
    public sealed class SobotReceiverException : SobotException
    {
        public SobotReceiverException(int statusCode, string message, Exception? inner = null) : base(message, inner)
        {
            StatusCode = statusCode;
        }

        /// <summary>HTTP status; 0 when the receiver could not be reached.</summary>
        public int StatusCode { get; }

        /// <summary>The query key was missing or wrong (401).</summary>
        public bool KeyRejected => StatusCode == 401;

        /// <summary>Worth asking again: not reached, or the store could not answer (503).</summary>
        public bool Transient => StatusCode == 0 || StatusCode == 503 || StatusCode == 502 || StatusCode == 504;
    }
}
