# Starts and stops the local Sobot emulator as a child process on a free loopback port.
# Used by build.ps1 (Demo), the Pester tests and the benchmarks; handy for trying scripts offline too.

# The knobs EmulatorKnobs.cs marks Secret: the keys, and the webhook URL (a receiver's token is its last segment). Given as a
# -Knob or in -ArgumentList, they go to the emulator through its environment (SOBOT_EMULATOR_<FIELD>), never on its
# command line, which every user of the machine can read (ps, /proc/<pid>/cmdline).
$script:SecretFlags = '--webhook-url', '--access-key', '--secret-key'

function Start-SobotEmulator {
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # Sobot.Emulator.dll; by default the one build.ps1 publishes to out/emulator.
        [string] $Path = (Join-Path $PSScriptRoot '../out/emulator/Sobot.Emulator.dll'),
        # Extra emulator switches, e.g. '--latency-ms', '100'. Secret ones (--webhook-url, --access-key, --secret-key) go
        # through the emulator's environment instead of its command line.
        [string[]] $ArgumentList = @(),
        # Knobs by name, flag or JSON field: @{ FailedRate = 0.03; 'status-delay-ms' = 'sent=100,read=1000'; no_window = $true }.
        # A $true value passes a switch alone; $false leaves it out. 'dotnet Sobot.Emulator.dll --help' lists them all.
        [hashtable] $Knob = @{},
        [int] $TimeoutSec = 120
    )
    $dll = (Resolve-Path -LiteralPath $Path -ErrorAction Stop).Path
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $knobArguments = foreach ($k in $Knob.GetEnumerator()) {
        $flag = '--' + ($k.Key -creplace '(?<=[a-z0-9])([A-Z])', '-$1').ToLowerInvariant().Replace('_', '-').TrimStart('-')
        if ($k.Value -is [bool]) { if ($k.Value) { $flag } }
        else { $flag; (@($k.Value) | ForEach-Object { [string]::Format([cultureinfo]::InvariantCulture, '{0}', $_) }) -join ',' }
    }
    foreach ($a in $dll, '--urls', 'http://127.0.0.1:0') { $psi.ArgumentList.Add($a) }
    $arguments = @($ArgumentList) + @($knobArguments)
    for ($i = 0; $i -lt $arguments.Count; $i++) {
        $a = [string]$arguments[$i]
        if ($script:SecretFlags -contains $a -and $i + 1 -lt $arguments.Count) {
            $psi.Environment['SOBOT_EMULATOR_' + $a.TrimStart('-').Replace('-', '_').ToUpperInvariant()] = [string]$arguments[++$i]
        }
        else { $psi.ArgumentList.Add($a) }
    }
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait([TimeSpan]::FromSeconds($TimeoutSec)) -or $read.Result -notmatch 'listening on (\S+)') {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The Sobot emulator did not start within $TimeoutSec s (first line: '$($read.Result)')."
    }
    $uri = $Matches[1]
    # The next two lines name the keys it accepts (--access-key and --secret-key change them).
    $keys = @{ 'Access key' = 'demo-access-key'; 'Secret key' = 'demo-secret-key' }
    foreach ($i in 1..2) {
        $line = $process.StandardOutput.ReadLineAsync()
        if ($line.Wait([TimeSpan]::FromSeconds($TimeoutSec)) -and $line.Result -match '^(Access key|Secret key): (.+)$') { $keys[$Matches[1]] = $Matches[2] }
    }
    [pscustomobject]@{
        PSTypeName = 'SobotEmulatorProcess'
        BaseUri    = $uri
        AccessKey  = $keys['Access key']
        SecretKey  = $keys['Secret key']
        Process    = $process
    }
}

# Changes knobs of a running emulator (POST /_emulator/faults) and returns all run-time knobs: @{ failed_rate = 0.5; status_delay_ms = 200 }.
function Set-SobotEmulatorKnob {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] $Emulator, [Parameter(Mandatory, Position = 1)] [hashtable] $Knob)
    Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUri)/_emulator/faults" -ContentType 'application/json' -Body ($Knob | ConvertTo-Json -Depth 5 -Compress)
}

# Makes a customer answer (POST /_emulator/reply): a message by its id, with text or a button, or a number with text.
# A button press quotes the message pressed (WhatsApp's context), as WhatsApp's do; -Context:$false leaves that out,
# -Context makes a typed answer quote the message.
function Send-SobotEmulatorReply {
    [CmdletBinding(DefaultParameterSetName = 'Message')]
    param(
        [Parameter(Mandatory, Position = 0)] $Emulator,
        [Parameter(Mandatory, ParameterSetName = 'Message', ValueFromPipelineByPropertyName)] [string] $MessageId,
        [Parameter(Mandatory, ParameterSetName = 'Number')] [string] $CustomerNumber,
        [string] $Text,
        [Parameter(ParameterSetName = 'Message')] [string] $ButtonText,
        [Parameter(ParameterSetName = 'Message')] [switch] $Context,
        [string] $Name,
        [long] $Timestamp
    )
    process {
        $body = @{}
        if ($MessageId) { $body.messageId = $MessageId } else { $body.customerNumber = $CustomerNumber }
        if ($PSBoundParameters.ContainsKey('ButtonText')) { $body.buttonText = $ButtonText } else { $body.text = $Text }
        if ($PSBoundParameters.ContainsKey('Context')) { $body.context = $Context.IsPresent }
        if ($Name) { $body.name = $Name }
        if ($PSBoundParameters.ContainsKey('Timestamp')) { $body.timestamp = $Timestamp }
        Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUri)/_emulator/reply" -ContentType 'application/json' -Body ($body | ConvertTo-Json -Compress)
    }
}

function Stop-SobotEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        $p = $Emulator.Process
        if (-not $p) { return }
        $Emulator.Process = $null   # stopping twice is harmless
        if (-not $p.HasExited) {
            $p.Kill()
            $null = $p.WaitForExit(10000)
        }
        $p.Dispose()
    }
}

Export-ModuleMember -Function Start-SobotEmulator, Stop-SobotEmulator, Set-SobotEmulatorKnob, Send-SobotEmulatorReply
