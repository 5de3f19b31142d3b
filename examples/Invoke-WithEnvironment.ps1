<#
.SYNOPSIS
    Runs a script with the variables of an environment file, and exits with the script's exit code. For a scheduler
    that has no environment file of its own: the Windows Task Scheduler.
.DESCRIPTION
    The file is the one cron and systemd timers use (README, "Scheduled tasks"): one VAR=value a line, as systemd's
    EnvironmentFile= reads it; blank lines and lines starting with # are skipped, and a value in single or double
    quotes loses them. Nothing of the file is ever printed: a line that is not VAR=value is reported by its number.
    Keep the file readable by the task's account alone; on Linux and macOS a file others can read is warned about.

    Exit codes: the script's own; 3 when the environment file cannot be read (the listening examples use 3 for
    "could not ask or could not listen", a missing environment included).

    Windows Task Scheduler (every 15 minutes, as the account svc-sobot); $exe is powershell.exe for Windows
    PowerShell 5.1 (in every Windows), or pwsh.exe for PowerShell 7:
        icacls C:\ProgramData\Sobot\sobot.env /inheritance:r /grant:r "svc-sobot:R" "Administrators:F"
        $exe     = 'powershell.exe'
        $action  = New-ScheduledTaskAction -Execute $exe -Argument '-NoProfile -NonInteractive -ExecutionPolicy RemoteSigned -File C:\Scripts\Invoke-WithEnvironment.ps1 -EnvironmentFile C:\ProgramData\Sobot\sobot.env C:\Scripts\Request-Approval.ps1 -Phone 919970585556'
        $trigger = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 15)
        Register-ScheduledTask -TaskName 'WhatsApp approval' -Action $action -Trigger $trigger -User 'svc-sobot' -Password (Read-Host 'Password of svc-sobot')
    The task's "Last Run Result" is the exit code (0x3 for 3).
.EXAMPLE
    ./Invoke-WithEnvironment.ps1 -EnvironmentFile /etc/sobot.env ./Request-Approval.ps1 -Phone 919970585556
#>
# A plain script (no [CmdletBinding()]), so every argument after the script's path reaches that script as given.
param(
    [string] $EnvironmentFile,
    [string] $Script
)
if (-not $EnvironmentFile -or -not $Script) { 'Usage: Invoke-WithEnvironment.ps1 -EnvironmentFile <file> <script> [its arguments]'; exit 3 }
try {
    # UTF-8 in both editions (Windows PowerShell 5.1 would read a file without a BOM in the ANSI code page).
    $lines = @(Get-Content -LiteralPath $EnvironmentFile -Encoding UTF8 -ErrorAction Stop)
}
catch {
    "Cannot read the environment file ${EnvironmentFile}: $($_.Exception.Message)"
    exit 3
}
if ($PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows -and (Get-Item -LiteralPath $EnvironmentFile).UnixMode.Substring(4) -ne '------') {
    Write-Warning "$EnvironmentFile can be read by other users; it holds keys: chmod 600 $EnvironmentFile"
}
for ($i = 0; $i -lt $lines.Count; $i++) {
    $line = $lines[$i]
    if ($line -match '^\s*(#.*)?$') { continue }
    if ($line -notmatch '^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$') { "${EnvironmentFile}, line $($i + 1): not a VAR=value line."; exit 3 }
    $name = $Matches[1]
    $value = $Matches[2].Trim()
    if ($value -match '^''(.*)''$' -or $value -match '^"(.*)"$') { $value = $Matches[1] }
    [Environment]::SetEnvironmentVariable($name, $value)
}
& $Script @args
exit $LASTEXITCODE
