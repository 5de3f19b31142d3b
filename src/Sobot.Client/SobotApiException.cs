using System;
using System.Net;

namespace Sobot.Client
{
    /// <summary>A call that failed at Sobot or on the way there. Never carries the keys.</summary>
    public sealed class SobotApiException : SobotException
    {
        public SobotApiException(SobotErrorKind kind, int statusCode, int? sobotCode, string? sobotMessage, string method, string path, string message, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
            StatusCode = statusCode;
            SobotCode = sobotCode;
            SobotMessage = sobotMessage;
            Method = method;
            Path = path;
        }

        public SobotErrorKind Kind { get; }

        /// <summary>HTTP status; 0 when no response arrived.</summary>
        public int StatusCode { get; }

        /// <summary>The <c>code</c> field of Sobot's body, when it sent one.</summary>
        public int? SobotCode { get; }

        /// <summary>The <c>message</c> field of Sobot's body, when it sent one.</summary>
        public string? SobotMessage { get; }

        public string Method { get; }
        public string Path { get; }

        /// <summary>Seconds the server asked us to wait (429/503), when it said.</summary>
        public TimeSpan? RetryAfter { get; internal set; }

        /// <summary>The connection failed before the request was sent (refused, no route, TLS): safe to retry.</summary>
        public bool NotSent { get; internal set; }

        /// <summary>How many times the request was tried, retries included.</summary>
        public int Attempts { get; internal set; } = 1;

        /// <summary>
        /// True when the request may have been processed although no success was seen
        /// (a 500, a timeout, a connection dropped after sending): resending could double a message.
        /// </summary>
        public bool OutcomeUnknown =>
            ((Kind == SobotErrorKind.ServerError || Kind == SobotErrorKind.Transport) && !NotSent)
            || (Kind == SobotErrorKind.UnexpectedResponse && StatusCode >= 200 && StatusCode < 300);

        /// <summary>True when the server certainly did not process the request: 429, 503, or not sent at all.</summary>
        public bool Retryable => Kind == SobotErrorKind.RateLimited || Kind == SobotErrorKind.Unavailable || NotSent;

        /// <summary>The keys were refused (401, and 403, which the contract does not tell apart): every later call fails too.</summary>
        public bool KeysRejected => Kind == SobotErrorKind.Unauthorized || Kind == SobotErrorKind.Forbidden;

        /// <summary>
        /// The server certainly did not act on the request: a retryable answer, or keys refused before anything
        /// was processed. A re-run may send such a row again without doubling it.
        /// </summary>
        public bool NotProcessed => Retryable || KeysRejected || Kind == SobotErrorKind.Redirected;

        internal static SobotErrorKind KindFromStatus(int status)
        {
            switch (status)
            {
                case (int)HttpStatusCode.BadRequest: return SobotErrorKind.BadRequest;
                case (int)HttpStatusCode.Unauthorized: return SobotErrorKind.Unauthorized;
                case (int)HttpStatusCode.Forbidden: return SobotErrorKind.Forbidden;
                case (int)HttpStatusCode.NotFound: return SobotErrorKind.NotFound;
                case 429: return SobotErrorKind.RateLimited;
                case (int)HttpStatusCode.ServiceUnavailable: return SobotErrorKind.Unavailable;
            }
            if (status >= 500) return SobotErrorKind.ServerError;
            if (status >= 400) return SobotErrorKind.BadRequest;
            return SobotErrorKind.UnexpectedResponse;
        }
    }
}
