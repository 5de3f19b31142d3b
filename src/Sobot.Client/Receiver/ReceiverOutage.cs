using System;

namespace Sobot.Client.Receiver
{
    /// <summary>The receiver has not answered since <see cref="Since"/>; <see cref="LastError"/> is its latest failed call.</summary>
    public sealed class ReceiverOutage
    {
        public ReceiverOutage(DateTimeOffset since, SobotReceiverException lastError)
        {
            Since = since;
            LastError = lastError;
        }

        public DateTimeOffset Since { get; }
        public SobotReceiverException LastError { get; }
    }
}
