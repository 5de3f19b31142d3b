<#
.SYNOPSIS
    Mails the report of last night's campaign: delivered, read, failed (why), replied and opted out, as one
    HTML page that opens from the attachment. Made to run from a scheduled task the morning after.
.DESCRIPTION
    Send-NightlyCampaign.ps1 sends the campaign with a journal; the webhook receiver (docs/receiver.md) stores
    every status and reply as they come in. This script joins the two into the report, prints its summary
    (so it shows in the task history or a cron mail) and mails the page when -SmtpServer is given.

    The keys come from the task's environment: SOBOT_ACCESS_KEY, SOBOT_SECRET_KEY (and SOBOT_BASE_URI),
    SOBOT_RECEIVER_URI and SOBOT_RECEIVER_KEY.

    Exit codes: 0 the report was written (and mailed, with -SmtpServer); 3 it could not be made: keys or receiver
    settings missing from the environment, Sobot or the receiver unreachable, the receiver's key refused, the
    journal unreadable, the mail not sent, or anything else unexpected. The line printed says which.

    cron (07:00, after the 22:00 campaign; the environment file as the README's "Scheduled tasks" shows):
        0 7 * * * set -a; . /etc/sobot.env; set +a; pwsh -NoProfile -NonInteractive -File /opt/scripts/Send-CampaignReport.ps1 -JournalPath /var/lib/campaigns/$(date -d yesterday +\%F).journal -SmtpServer mail.example.com -To marketing@example.com
.EXAMPLE
    ./Send-CampaignReport.ps1 -JournalPath ./2026-11-24.journal -ReportPath ./2026-11-24.html -SmtpServer mail.example.com -To marketing@example.com
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $JournalPath,
    [string] $ReportPath = [IO.Path]::ChangeExtension($JournalPath, '.html'),
    [string] $SmtpServer,
    [string[]] $To,
    [string] $From = "sobot-reports@$([Environment]::MachineName)"
)
$ErrorActionPreference = 'Stop'
# Whatever stops this script means the report could not be made: 3.
trap { "Could not make the report: $_"; exit 3 }

Import-Module SobotPS
if (-not (Get-SobotConnection)) { Connect-Sobot }   # keys and receiver from the environment
if (-not (Get-SobotConnection).ReceiverUri) { 'No webhook receiver to read the outcomes from: set SOBOT_RECEIVER_URI and SOBOT_RECEIVER_KEY.'; exit 3 }

$title = 'Campaign ' + [IO.Path]::GetFileNameWithoutExtension($JournalPath)
$report = Get-SobotCampaignReport -JournalPath $JournalPath -Path $ReportPath -Title $title
$line = '{0}: submitted {1}, delivered {2} ({3:P1}), read {4} ({5:P1}), failed {6}, replied {7}, opted out {8}; report {9}' -f `
    $title, $report.Submitted, $report.Delivered, $report.DeliveredRate, $report.Read, $report.ReadRate, $report.Failed, $report.Replied, $report.OptedOut, $ReportPath
$line
foreach ($reason in $report.FailureReasons) { '  failed: {0} x {1}' -f $reason.Count, $reason.Reason }

if ($SmtpServer -and $To) {
    # Send-MailMessage is what every PowerShell has; swap in your mail module if you use one.
    Send-MailMessage -SmtpServer $SmtpServer -From $From -To $To -Subject $line -Body 'The report is attached: open it in any browser.' -Attachments $ReportPath -WarningAction SilentlyContinue
}
exit 0
