<#
.SYNOPSIS
    Asks someone on WhatsApp before doing something, and acts on the answer. Made to run from a scheduled task.
.DESCRIPTION
    Sends a question with Yes/No buttons, waits for the answer through the webhook receiver, and runs the
    action only on Yes. The exit code tells the scheduler what happened: 0 approved (and done), 1 declined,
    2 no answer in time or the question could not be sent.

    The keys come from the environment of the task: SOBOT_ACCESS_KEY, SOBOT_SECRET_KEY (and SOBOT_BASE_URI),
    and for the receiver SOBOT_RECEIVER_URI and SOBOT_RECEIVER_KEY (docs/receiver.md). The receiver must be
    running (as a service) so that the answer is stored whenever it comes; the wait reads it from there.

    Schedule it like Send-DiskSpaceAlert.ps1, e.g. cron:
        0 * * * * . /etc/sobot.env && pwsh -NoProfile -File /opt/scripts/Request-Approval.ps1 -Phone 919970585556
.EXAMPLE
    ./Request-Approval.ps1 -Phone 919970585556 -Question 'Disk on web01 is 95% full. Clear the cache?' -Action { Remove-Item /var/cache/web/* -Recurse }
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Phone,
    [string] $Question = "Disk on $([Environment]::MachineName) is nearly full. Clear the cache?",
    # What to do on Yes.
    [scriptblock] $Action = { 'Cache cleared.' },
    [int] $TimeoutSec = 900,
    # An approved template with Yes/No quick-reply buttons and one body variable (the question): sent instead
    # when the person has not written in the last 24 hours, since WhatsApp then refuses a free-form message.
    [string] $FallbackTemplate
)
$ErrorActionPreference = 'Stop'
Import-Module SobotPS
if (-not (Get-SobotConnection)) { Connect-Sobot }   # keys and receiver from the environment

$ask = @{ CustomerNumber = $Phone; Message = $Question; Button = 'Yes', 'No'; SummaryVariable = 'sent'; ErrorAction = 'Continue' }
if ($FallbackTemplate) { $ask.FallbackTemplate = $FallbackTemplate; $ask.FallbackBodyParameter = $Question }
$q = Send-SobotButtonMessage @ask
if (-not $sent.Succeeded) { "The question could not be sent: $sent"; exit 2 }

$answer = $q | Wait-SobotReply -Choice Yes, No -TimeoutSec $TimeoutSec -ErrorAction SilentlyContinue -ErrorVariable late
if ($late -or -not $answer) { "No answer from $Phone within $TimeoutSec s."; exit 2 }

if ($answer.ButtonText -eq 'Yes' -or $answer.Text -eq 'Yes') {
    "Approved by $($answer.From) at $($answer.Timestamp)."
    & $Action
    exit 0
}
"Declined by $($answer.From) at $($answer.Timestamp)."
exit 1
