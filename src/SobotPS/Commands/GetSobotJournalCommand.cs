using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Sobot.Client.Bulk;

namespace SobotPS.Commands
{
    /// <summary>
    /// Reads a send journal: one record per row (Sent, Failed, Unknown, Pending) with its number, message id
    /// and error, or with -Summary the counts. Works while a run is still writing it.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SobotJournal", DefaultParameterSetName = "Records")]
    [OutputType(typeof(JournalEntry), ParameterSetName = new[] { "Records" })]
    [OutputType(typeof(SendSummary), ParameterSetName = new[] { "Summary" })]
    public sealed class GetSobotJournalCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "JournalPath")]
        public string Path { get; set; } = string.Empty;

        /// <summary>Only rows in these states.</summary>
        [Parameter(ParameterSetName = "Records")]
        public JournalState[]? State { get; set; }

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
            System.Collections.Generic.IReadOnlyList<JournalEntry> entries;
            try
            {
                entries = SendJournal.Read(file);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, SobotErrorIds.JournalUnusable, ErrorCategory.ReadError, Path));
                return;
            }
            if (Summary)
            {
                // Counted as a run counts: a row refused before sending is failed, a row left pending is unknown.
                WriteObject(SendSummary.FromJournal(file, entries));
                return;
            }
            foreach (var e in entries)
                if (State is null || State.Contains(e.State)) WriteObject(e);
        }
    }
}
