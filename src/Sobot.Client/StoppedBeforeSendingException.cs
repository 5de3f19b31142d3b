using System;

namespace Sobot.Client
{
    /// <summary>A call stopped while it waited to send (pacing, a retry delay): nothing went out in that wait.</summary>
    public sealed class StoppedBeforeSendingException : OperationCanceledException
    {
        public StoppedBeforeSendingException(OperationCanceledException inner)
            : base("Stopped before the request was sent.", inner, inner.CancellationToken)
        {
        }
    }
}
