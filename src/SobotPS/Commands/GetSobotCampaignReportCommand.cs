using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Sobot.Client.Bulk;
using Sobot.Client.Campaigns;
using Sobot.Client.Receiver;

namespace SobotPS.Commands
{
    /// <summary>
    /// What became of a campaign: its send journal joined with the webhook receiver's statuses, replies and
    /// opt-outs, as an object (counts, rates, the funnel, failures by reason, sends and reads per hour) and,
    /// with -Path, one self-contained HTML page with charts that opens from a mail attachment or a file share.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SobotCampaignReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CampaignReport))]
    public sealed class GetSobotCampaignReportCommand : ReceiverCmdlet
    {
        /// <summary>The campaign's send journal (Send-Sobot* -JournalPath).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        public string JournalPath { get; set; } = string.Empty;

        /// <summary>Also write the report as one HTML file here (no network needed to open it).</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The page's title.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; } = "Campaign report";

        protected override void ProcessRecord()
        {
            var receiver = ResolveReceiver();
            string journal = GetUnresolvedProviderPathFromPSPath(JournalPath);
            if (!File.Exists(journal))
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"No journal at '{journal}'.", journal), "SobotJournalNotFound", ErrorCategory.ObjectNotFound, JournalPath));
                return;
            }
            CampaignReport report;
            try
            {
                var entries = SendJournal.Read(journal);
                Call(token => ReceiverJoin.For(receiver).JoinAsync(entries, token));
                var optOuts = Call(token => receiver.GetOptOutsAsync(token));
                var since = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                foreach (var o in optOuts) since[o.CustomerNumber] = o.Since;
                report = CampaignReport.From(journal, entries, since, DateTimeOffset.UtcNow);
            }
            catch (SobotReceiverException ex)
            {
                WriteReceiverError(ex, JournalPath);
                return;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, SobotErrorIds.JournalUnusable, ErrorCategory.ReadError, JournalPath));
                return;
            }
            if (Path != null)
            {
                string html = GetUnresolvedProviderPathFromPSPath(Path);
                if (ShouldProcess(html, "Write the campaign report"))
                {
                    try
                    {
                        // Owner-only (0600), written whole and renamed into place: never through a symbolic link put there.
                        Sobot.Client.OwnerOnlyFiles.Write(html, CampaignReportHtml.Render(report, Title));
                    }
                    catch (Sobot.Client.UnsafePathException ex)
                    {
                        WriteError(SobotErrors.FromUnsafePath(ex));
                        return;
                    }
                }
            }
            WriteObject(report);
        }
    }
}
