<#
.SYNOPSIS
    Sends a template to every row of a CSV, resumably: run it again after a reboot or a crash and it
    finishes the job without sending anything twice.
.DESCRIPTION
    The journal records each row before it is sent and its outcome after. A second run of the same command
    skips rows already sent, retries rows refused for a retryable reason, and reports (without resending)
    rows whose delivery is unknown. The exit code is 0 when every row was sent, 1 otherwise, so the task
    scheduler shows the run as failed and the journal tells which rows need a look:

        Get-SobotJournal ./campaign.journal -State Failed, Unknown -SafeForSpreadsheet | Export-Csv to-check.csv -NoTypeInformation -Encoding UTF8

    Schedule it as the README's "Scheduled tasks" shows (the environment file, cron, systemd, Task Scheduler).
.EXAMPLE
    ./Send-NightlyCampaign.ps1 -CsvPath ./customers.csv -JournalPath ./2026-11-25.journal
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $CsvPath,
    [Parameter(Mandatory)] [string] $JournalPath,
    [string] $TemplateName = 'order_update',
    # A cap when the account's limit is known; by default the pacing finds it.
    [double] $MaxMessagesPerSecond
)
$ErrorActionPreference = 'Stop'
Import-Module SobotPS
if (-not (Get-SobotConnection)) { Connect-Sobot }

$send = @{ TemplateName = $TemplateName; JournalPath = $JournalPath; ErrorAction = 'Continue'; SummaryVariable = 'run' }
if ($MaxMessagesPerSecond) { $send.MaxMessagesPerSecond = $MaxMessagesPerSecond }
# -Encoding UTF8: Windows PowerShell 5.1 would read a CSV without a BOM in the ANSI code page.
Import-Csv $CsvPath -Encoding UTF8 | Send-SobotTemplate @send -BodyParameter { $_.OrderId } | Out-Null

# This run's line, then the journal's counts over every run so far; both go to standard output (cron mail,
# task history). Exit 1 while any row of the journal failed or has an unknown outcome.
"$run"
$journal = Get-SobotJournal $JournalPath -Summary
"$journal"
exit $(if ($run.Succeeded -and $journal.Succeeded) { 0 } else { 1 })
