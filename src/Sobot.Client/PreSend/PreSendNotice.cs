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

        /// <summary>"45 s", "12 min", "2 h 5 min", "3 d 4 h": an age a person reads at a glance.</summary>
        public static string Describe(TimeSpan age)
        {
            if (age < TimeSpan.Zero) age = TimeSpan.Zero;
            if (age < TimeSpan.FromMinutes(1)) return $"{(int)age.TotalSeconds} s";
            if (age < TimeSpan.FromHours(1)) return $"{(int)age.TotalMinutes} min";
            if (age < TimeSpan.FromDays(1)) return age.Minutes == 0 ? $"{(int)age.TotalHours} h" : $"{(int)age.TotalHours} h {age.Minutes} min";
            return age.Hours == 0 ? $"{(int)age.TotalDays} d" : $"{(int)age.TotalDays} d {age.Hours} h";
        }
    }
}
