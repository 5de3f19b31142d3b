<#
.SYNOPSIS
    Asks someone on WhatsApp before doing something, and acts on the answer. Made to run from a scheduled task.
.DESCRIPTION
    Sends a question with Yes/No buttons, waits for the answer through the webhook receiver, and runs the
    action only on Yes. The exit code tells the scheduler what happened, and a broken setup never reads as a
    decision:
        0  approved, and the action ran
        1  declined
        2  no answer within -TimeoutSec
        3  could not ask or could not listen: keys or receiver settings missing from the environment, Sobot or
           the receiver unreachable, the receiver's key refused, the question not sent (the 24-hour window
           closed and no -FallbackTemplate, an opted-out number), the receiver gone during the wait, the action
           failing, or anything else unexpected. The line printed says which.

    The keys come from the environment of the task: SOBOT_ACCESS_KEY, SOBOT_SECRET_KEY (and SOBOT_BASE_URI),
    and for the receiver SOBOT_RECEIVER_URI and SOBOT_RECEIVER_KEY (docs/receiver.md). The receiver must be
    running (as a service) so that the answer is stored whenever it comes; the wait reads it from there, and the
    question is not sent when the receiver cannot be read.

    Schedule it as the README's "Scheduled tasks" shows (the environment file, cron, systemd, Task Scheduler), e.g. cron:
        0 * * * * set -a; . /etc/sobot.env; set +a; pwsh -NoProfile -NonInteractive -File /opt/scripts/Request-Approval.ps1 -Phone 919970585556
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
# Whatever stops this script unexpectedly means it could not ask or could not listen: 3, never a decision.
trap { "Could not ask or listen: $_"; exit 3 }

Import-Module SobotPS
if (-not (Get-SobotConnection)) { Connect-Sobot }   # keys and receiver from the environment
if (-not (Get-SobotConnection).ReceiverUri) { 'No webhook receiver to listen with: set SOBOT_RECEIVER_URI and SOBOT_RECEIVER_KEY.'; exit 3 }
# Ask only when the answer can be heard: the receiver must answer now (a down receiver or a refused key stops here).
$null = Get-SobotConversationWindow -CustomerNumber $Phone

$ask = @{ CustomerNumber = $Phone; Message = $Question; Button = 'Yes', 'No'; SummaryVariable = 'sent'; ErrorAction = 'Continue' }
if ($FallbackTemplate) { $ask.FallbackTemplate = $FallbackTemplate; $ask.FallbackBodyParameter = $Question }
$q = Send-SobotButtonMessage @ask
if (-not $sent.Succeeded) { "The question could not be sent: $sent"; exit 3 }

try {
    $answer = $q | Wait-SobotReply -Choice Yes, No -TimeoutSec $TimeoutSec -ErrorAction Stop
}
catch {
    if ($_.FullyQualifiedErrorId -like 'SobotReplyTimeout,*') {
        # "No answer" only from a receiver that still answers: one that is down now may not have heard it.
        try { $null = Get-SobotConversationWindow -CustomerNumber $Phone }
        catch { "Could not listen for the answer: $_"; exit 3 }
        "No answer from $Phone within $TimeoutSec s."
        exit 2
    }
    # SobotReceiverUnavailable (the receiver went away), SobotReceiverUnauthorized, and anything else.
    "Could not listen for the answer: $_"
    exit 3
}

if ($answer.ButtonText -eq 'Yes' -or $answer.Text -eq 'Yes') {
    "Approved by $($answer.From) at $($answer.Timestamp)."
    try { & $Action }
    catch { "Approved, but the action failed: $_"; exit 3 }
    exit 0
}
if ($answer.ButtonText -eq 'No' -or $answer.Text -eq 'No') {
    "Declined by $($answer.From) at $($answer.Timestamp)."
    exit 1
}
"Could not listen for the answer: Wait-SobotReply returned no Yes or No ($($answer.MessageId))."
exit 3
