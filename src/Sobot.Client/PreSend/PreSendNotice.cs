using System;

namespace Sobot.Client.PreSend
{
    /// <summary>
    /// Something a run's caller should say once (a warning): an outage of the receiver, and what the run does about
    /// it. <see cref="Message"/> is in the domain's words; the caller may add how to change the behaviour.
    /// </summary>
    public sealed class PreSendNotice
    {
        internal PreSendNotice(PreSendNoticeKind kind, string message, Uri receiver, Exception? cause, OptOutList? list = null, TimeSpan? listAge = null)
        {
            Kind = kind;
            Message = message;
            Receiver = receiver;
            Cause = cause;
            ListReadAt = list?.ReadAt;
            ListAge = listAge;
        }

        public PreSendNoticeKind Kind { get; }
        public string Message { get; }
        /// <summary>The receiver's query URL.</summary>
        public Uri Receiver { get; }
        /// <summary>Why: the receiver's failure, or the disk's.</summary>
        public Exception? Cause { get; }
        /// <summary>For a list from disk: when it was read from the receiver.</summary>
        public DateTimeOffset? ListReadAt { get; }
        /// <summary>For a list from disk: how old it was when the run started.</summary>
        public TimeSpan? ListAge { get; }

        public override string ToString() => Message;
    }
}
