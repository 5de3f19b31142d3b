<#
.SYNOPSIS
    Sends a WhatsApp alert for every fixed disk fuller than a threshold. Made to run from a scheduled task.
.DESCRIPTION
    Uses an approved template, because the admin has usually not written in the last 24 hours (free-form
    messages would be refused). Create it once:

        New-SobotTemplate -Name disk_space_alert -Category Utility -Body 'Disk {{1}} on {{2}} is {{3}}% full.' -BodyExample 'C:', 'web01', 93

    The keys come from the environment of the task (SOBOT_ACCESS_KEY, SOBOT_SECRET_KEY), never from the script.
    The script prints one summary line and exits 1 when any alert failed or its delivery is unknown.

    The keys live in one environment file only the job's account can read; the README's "Scheduled tasks"
    shows the file (VAR=value lines, mode 0600) and how each scheduler reads it:

    cron (every 15 minutes; set -a exports what the file sets, which a bare ". /etc/sobot.env" does not):
        */15 * * * * set -a; . /etc/sobot.env; set +a; pwsh -NoProfile -NonInteractive -File /opt/scripts/Send-DiskSpaceAlert.ps1 -Phone 919970585556

    systemd timer: /etc/systemd/system/disk-alert.service
        [Service]
        Type=oneshot
        User=alerts
        EnvironmentFile=/etc/sobot.env
        ExecStart=/usr/bin/pwsh -NoProfile -NonInteractive -File /opt/scripts/Send-DiskSpaceAlert.ps1 -Phone 919970585556
    and /etc/systemd/system/disk-alert.timer
        [Timer]
        OnCalendar=*:0/15
        [Install]
        WantedBy=timers.target
    then: systemctl enable --now disk-alert.timer

    Windows Task Scheduler (every 15 minutes): through Invoke-WithEnvironment.ps1, which reads the same file. $exe is
    powershell.exe for Windows PowerShell 5.1 (in every Windows), or pwsh.exe for PowerShell 7:
        $exe     = 'powershell.exe'
        $action  = New-ScheduledTaskAction -Execute $exe -Argument '-NoProfile -NonInteractive -ExecutionPolicy RemoteSigned -File C:\Scripts\Invoke-WithEnvironment.ps1 -EnvironmentFile C:\ProgramData\Sobot\sobot.env C:\Scripts\Send-DiskSpaceAlert.ps1 -Phone 919970585556'
        $trigger = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 15)
        Register-ScheduledTask -TaskName 'WhatsApp disk alert' -Action $action -Trigger $trigger -User 'svc-sobot' -Password (Read-Host 'Password of svc-sobot')
.EXAMPLE
    ./Send-DiskSpaceAlert.ps1 -Phone 919970585556 -ThresholdPercent 85
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # Who gets the alert (several numbers allowed).
    [Parameter(Mandatory)] [string[]] $Phone,
    [ValidateRange(0, 100)] [int] $ThresholdPercent = 90,
    [string] $TemplateName = 'disk_space_alert'
)
$ErrorActionPreference = 'Stop'
Import-Module SobotPS
if (-not (Get-SobotConnection)) { Connect-Sobot }   # SOBOT_ACCESS_KEY / SOBOT_SECRET_KEY (and SOBOT_BASE_URI)

$full = [System.IO.DriveInfo]::GetDrives() |
    Where-Object { $_.IsReady -and $_.DriveType -eq 'Fixed' -and $_.TotalSize -gt 0 } |
    ForEach-Object {
        $used = [Math]::Round(100 * (1 - $_.AvailableFreeSpace / $_.TotalSize))
        if ($used -ge $ThresholdPercent) { [pscustomobject]@{ Drive = $_.Name; UsedPercent = $used } }
    }

# One row per disk and number; the template's three variables come from each row.
$rows = foreach ($disk in $full) {
    foreach ($number in $Phone) {
        [pscustomobject]@{ CustomerNumber = $number; Drive = $disk.Drive; Machine = [Environment]::MachineName; UsedPercent = "$($disk.UsedPercent)" }
    }
}
if (-not $rows) { 'No disk is fuller than {0}%.' -f $ThresholdPercent; exit 0 }

$rows | Send-SobotTemplate -TemplateName $TemplateName -BodyParameter { $_.Drive, $_.Machine, $_.UsedPercent } -SummaryVariable summary -ErrorAction Continue | Out-Null

# The summary goes to standard output, so it shows in a cron mail and in the task's history; a failed or
# unknown row makes the exit code 1, so the scheduler marks the run as failed.
"$summary"
exit $(if ($summary.Succeeded) { 0 } else { 1 })
