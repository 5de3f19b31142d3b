namespace Sobot.Client.Bulk
{
    public enum JournalState
    {
        /// <summary>Recorded before its request went out; no outcome yet (a run in progress, or a crash).</summary>
        Pending,
        Sent,
        Failed,
        /// <summary>The request may or may not have been processed (500, timeout, dropped connection, or a crash while pending).</summary>
        Unknown,
        /// <summary>Left out on purpose (the number opted out); a later run decides again.</summary>
        Skipped,
    }
}
