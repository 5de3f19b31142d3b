namespace SobotPS
{
    /// <summary>The counts of a send journal (Get-SobotJournal -Summary).</summary>
    public sealed class SobotJournalSummary
    {
        internal SobotJournalSummary(string path, int total, int sent, int failed, int unknown, int pending)
        {
            Path = path;
            Total = total;
            Sent = sent;
            Failed = failed;
            Unknown = unknown;
            Pending = pending;
        }

        public string Path { get; }
        public int Total { get; }
        public int Sent { get; }
        public int Failed { get; }
        public int Unknown { get; }
        public int Pending { get; }
    }
}
