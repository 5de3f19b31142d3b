using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Sobot.Client.Bulk;
using Sobot.Client.Receiver;

namespace SobotPS.Commands
{
    /// <summary>
    /// Reads a send journal: one record per row (Sent, Failed, Skipped, Unknown, Pending) with its number,
    /// message id and error, or with -Summary the counts. Works while a run is still writing it. With a
    /// webhook receiver connected, each accepted row also says what became of it (Delivery, DeliveredAt,
    /// ReadAt, FailureReason, Replied), joined in batches.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SobotJournal", DefaultParameterSetName = "Records")]
    [OutputType(typeof(JournalEntry), ParameterSetName = new[] { "Records" })]
    [OutputType(typeof(SendSummary), ParameterSetName = new[] { "Summary" })]
    public sealed class GetSobotJournalCommand : ReceiverCmdlet, ISpreadsheetOutput
    {
        /// <summary>For a spreadsheet: each text property that would start a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter SafeForSpreadsheet { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "JournalPath")]
        public string Path { get; set; } = string.Empty;

        /// <summary>Only rows in these states.</summary>
        [Parameter(ParameterSetName = "Records")]
        public JournalState[]? State { get; set; }

        /// <summary>Only accepted rows whose delivery is one of these (needs a webhook receiver).</summary>
        [Parameter(ParameterSetName = "Records")]
        public DeliveryState[]? Delivery { get; set; }

        /// <summary>Only rows whose last record is older than this (e.g. 1h): what is worth chasing.</summary>
        [Parameter(ParameterSetName = "Records")]
        public TimeSpan OlderThan { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "Summary")]
        public SwitchParameter Summary { get; set; }

        protected override void ProcessRecord()
        {
            string file = GetUnresolvedProviderPathFromPSPath(Path);
            if (!File.Exists(file))
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"No journal at '{file}'.", file), "SobotJournalNotFound", ErrorCategory.ObjectNotFound, Path));
                return;
            }
            IReadOnlyList<JournalEntry> entries;
            try
            {
                entries = SendJournal.Read(file);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, SobotErrorIds.JournalUnusable, ErrorCategory.ReadError, Path));
                return;
            }

            var connection = Connection ?? SobotSession.Current;
            var receiver = connection is { IsOpen: true } ? connection.Receiver : null;
            if (receiver is null && Delivery != null) receiver = ResolveReceiver(); // terminating: -Delivery needs one
            if (receiver != null)
            {
                try
                {
                    Call(token => ReceiverJoin.For(receiver).JoinAsync(entries, token));
                }
                catch (SobotReceiverException ex)
                {
                    WriteReceiverError(ex, Path);
                    return;
                }
            }

            if (Summary)
            {
                // Counted as a run counts: a row refused before sending is failed, a row left pending is unknown.
                var summary = SendSummary.FromJournal(file, entries);
                var shown = PSObject.AsPSObject(summary);
                // With the delivery counts known, the default view shows them (SendSummary#Delivery in the format file).
                if (summary.Submitted != null) shown.TypeNames.Insert(0, typeof(SendSummary).FullName + "#Delivery");
                WriteObject(shown);
                return;
            }
            var before = DateTimeOffset.UtcNow - OlderThan;
            foreach (var e in entries)
            {
                if (State != null && !State.Contains(e.State)) continue;
                if (Delivery != null && (e.Delivery is null || !Delivery.Contains(e.Delivery.Value))) continue;
                if (OlderThan > TimeSpan.Zero && e.Time > before) continue;
                WriteObject(e);
            }
        }
    }
}
