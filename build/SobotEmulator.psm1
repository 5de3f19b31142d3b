# Starts and stops the local Sobot emulator as a child process on a free loopback port.
# Used by build.ps1 (Demo), the Pester tests and the benchmarks; handy for trying scripts offline too.

function Start-SobotEmulator {
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # Sobot.Emulator.dll; by default the one build.ps1 publishes to out/emulator.
        [string] $Path = (Join-Path $PSScriptRoot '../out/emulator/Sobot.Emulator.dll'),
        # Extra emulator switches, e.g. '--latency-ms', '100'.
        [string[]] $ArgumentList = @(),
        [int] $TimeoutSec = 30
    )
    $dll = (Resolve-Path -LiteralPath $Path -ErrorAction Stop).Path
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--urls', 'http://127.0.0.1:0') + $ArgumentList) { $psi.ArgumentList.Add([string]$a) }
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait([TimeSpan]::FromSeconds($TimeoutSec)) -or $read.Result -notmatch 'listening on (\S+)') {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The Sobot emulator did not start within $TimeoutSec s (first line: '$($read.Result)')."
    }
    $uri = $Matches[1]
    [pscustomobject]@{
        PSTypeName = 'SobotEmulatorProcess'
        BaseUri    = $uri
        AccessKey  = 'demo-access-key'
        SecretKey  = 'demo-secret-key'
        Process    = $process
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

Export-ModuleMember -Function Start-SobotEmulator, Stop-SobotEmulator
