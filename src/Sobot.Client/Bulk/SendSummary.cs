using System;
using System.Collections.Generic;
using System.Linq;

namespace Sobot.Client.Bulk
{
    /// <summary>
    /// The counts of a bulk send (a run, or a whole journal). Every row that came in is in exactly one of
    /// Sent, Failed, Skipped and Unknown, so those four add up to Total. Duplicates counts rows identical to
    /// an earlier row of the same run, whatever became of them.
    /// </summary>
    public sealed class SendSummary
    {
        public SendSummary(long total, long sent, long failed, long skipped, long unknown, long duplicates, TimeSpan elapsed, string? journalPath)
        {
            Total = total;
            Sent = sent;
            Failed = failed;
            Skipped = skipped;
            Unknown = unknown;
            Duplicates = duplicates;
            Elapsed = elapsed;
            Rate = elapsed.TotalSeconds > 0 ? sent / elapsed.TotalSeconds : 0;
            JournalPath = journalPath;
        }

        public long Total { get; }
        public long Sent { get; }
        /// <summary>Refused before sending (invalid input), or refused by Sobot, or stopped before it went out.</summary>
        public long Failed { get; }
        /// <summary>Sent by an earlier run of the journal, a duplicate left out by -SkipDuplicate, or only shown by -WhatIf.</summary>
        public long Skipped { get; }
        /// <summary>May or may not have been delivered (a 500, a timeout, a dropped connection, a run interrupted while sending).</summary>
        public long Unknown { get; }
        public long Duplicates { get; }
        public TimeSpan Elapsed { get; }
        /// <summary>Messages sent per second.</summary>
        public double Rate { get; }
        public string? JournalPath { get; }

        /// <summary>With a webhook receiver (Get-SobotJournal -Summary): sent rows, and how many were delivered, read, failed delivery and answered. Null otherwise.</summary>
        public long? Submitted { get; private set; }
        public long? Delivered { get; private set; }
        public long? Read { get; private set; }
        public long? DeliveryFailed { get; private set; }
        public long? Replied { get; private set; }

        /// <summary>True when every row was sent or skipped: nothing failed and nothing is unknown.</summary>
        public bool Succeeded => Failed == 0 && Unknown == 0;

        /// <summary>The counts of a journal, the same way a run counts: a row still pending has an unknown outcome.</summary>
        public static SendSummary FromJournal(string path, IReadOnlyList<JournalEntry> entries)
        {
            long sent = 0, failed = 0, unknown = 0, skipped = 0, duplicates = 0;
            DateTimeOffset? first = null, last = null;
            foreach (var e in entries)
            {
                switch (e.State)
                {
                    case JournalState.Sent: sent++; break;
                    case JournalState.Failed: failed++; break;
                    case JournalState.Skipped: skipped++; break;
                    default: unknown++; break;
                }
                if (e.Duplicate) duplicates++;
                if (first is null || e.Time < first) first = e.Time;
                if (last is null || e.Time > last) last = e.Time;
            }
            var elapsed = first is null ? TimeSpan.Zero : last!.Value - first.Value;
            var summary = new SendSummary(entries.Count, sent, failed, skipped, unknown, duplicates, elapsed, path);
            if (entries.Any(e => e.Delivery != null))
            {
                summary.Submitted = entries.Count(e => e.Delivery != null);
                summary.Delivered = entries.Count(e => e.Delivery == DeliveryState.Delivered || e.Delivery == DeliveryState.Read);
                summary.Read = entries.Count(e => e.Delivery == DeliveryState.Read);
                summary.DeliveryFailed = entries.Count(e => e.Delivery == DeliveryState.Failed);
                summary.Replied = entries.Count(e => e.Replied == true);
            }
            return summary;
        }

        public override string ToString() =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "Sobot: {0} row{9}: sent {1}, failed {2}, skipped {3}, unknown {4}, duplicates {5} in {6:0.0} s ({7:0.0} msg/s){8}",
                Total, Sent, Failed, Skipped, Unknown, Duplicates, Elapsed.TotalSeconds, Rate, JournalPath is null ? string.Empty : "; journal " + JournalPath, Total == 1 ? string.Empty : "s");
    }
}
