using System;
using Sobot.Client.Bulk;

namespace SobotPS
{
    /// <summary>One row of a send journal, at its latest state.</summary>
    public sealed class SobotJournalRecord
    {
        internal SobotJournalRecord(JournalEntry e)
        {
            Key = e.Key;
            State = e.State;
            CustomerNumber = e.CustomerNumber;
            MessageId = e.MessageId;
            Error = e.Error;
            Retryable = e.Retryable;
            Time = e.Time;
        }

        /// <summary>Sent, Failed, Unknown or Pending.</summary>
        public JournalState State { get; }
        public string? CustomerNumber { get; }
        public string? MessageId { get; }
        public string? Error { get; }
        /// <summary>For Failed rows: a re-run sends it again (the server certainly did not process it).</summary>
        public bool Retryable { get; }
        public DateTimeOffset Time { get; }
        /// <summary>The row's identity: a hash of what was sent and its occurrence among identical rows.</summary>
        public string Key { get; }
    }

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
