# Start-SobotReceiver on a machine without the .NET runtime the receiver needs (Windows PowerShell 5.1 runs the module
# on .NET Framework; the receiver still needs dotnet with Microsoft.NETCore.App and Microsoft.AspNetCore.App 10): the
# first dotnet that has the runtimes starts it; when none has them, one clear error that names every dotnet asked and
# the fix, and nothing started or created. The dotnet hosts here are fakes: shell scripts in a temp folder that print
# what an install prints and log how they were called.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $script:receiverDll = Join-Path (Split-Path $ModuleManifest) 'receiver/Sobot.Receiver.dll'
    $runtime = (Get-Command Start-SobotReceiver).ImplementingType.Assembly.GetType('SobotPS.ReceiverRuntime', $true)
    $flags = [System.Reflection.BindingFlags]'Static, NonPublic'
    $script:required = $runtime.GetMethod('Required', $flags).Invoke($null, [object[]]@([string]$receiverDll))
    $script:candidatesMethod = $runtime.GetMethods($flags) | Where-Object { $_.Name -eq 'Candidates' -and $_.GetParameters().Count -eq 5 }
    $script:chooseMethod = $runtime.GetMethod('Choose', $flags)

    # The dotnet hosts the module would try, in order, given DOTNET_ROOT, the PowerShell's executable, its runtime's
    # folder, %ProgramFiles% and the PATH.
    function Get-Candidates([string] $Root, [string] $Running, [string] $RuntimeDirectory, [string] $ProgramFiles, [string] $Path) {
        $arguments = [object[]]@($Root, $Running, $RuntimeDirectory, $ProgramFiles, $Path)
        for ($i = 0; $i -lt $arguments.Count; $i++) { if (-not $arguments[$i]) { $arguments[$i] = $null } }
        , $candidatesMethod.Invoke($null, $arguments)
    }

    # Which dotnet the module's check accepts among these candidates (Host), or why none (Problem).
    function Select-Dotnet($Candidates, [string] $RollForward) {
        $chooseMethod.Invoke($null, [object[]]@($Candidates, $required, $(if ($RollForward) { $RollForward } else { $null })))
    }

    # A folder holding a fake dotnet that prints these runtimes for --list-runtimes and logs its arguments; with
    # -Forward it hands every other call to the real dotnet (so it can run the receiver).
    function New-FakeDotnet([string] $Name, [string[]] $Runtimes, [string] $Forward) {
        $folder = Join-Path $TestDrive $Name
        # TestDrive is shared by the whole file: every fake has a folder of its own.
        $null = New-Item -ItemType Directory $folder -ErrorAction Stop
        # No external commands: some tests empty the PATH.
        $lines = @('#!/bin/sh', 'echo "$@" >> "${0%/*}/calls.log"', 'if [ "$1" = "--list-runtimes" ]; then') +
            ($Runtimes | ForEach-Object { "echo '$_ [$folder/shared/$(($_ -split ' ')[0])]'" }) +
            @('exit 0', 'fi', $(if ($Forward) { "exec '$Forward' `"`$@`"" } else { 'exit 1' }))
        [System.IO.File]::WriteAllText((Join-Path $folder 'dotnet'), ($lines -join "`n") + "`n")
        chmod 755 (Join-Path $folder 'dotnet')
        $folder
    }

    # Runs $Script with environment variables changed (a $null value removes one), and puts them back.
    function Invoke-WithVariable([hashtable] $Variables, [scriptblock] $Script) {
        $saved = @{}
        foreach ($name in $Variables.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Variables[$name]) }
        try { & $Script }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
    }

    $script:sep = [System.IO.Path]::PathSeparator
    $script:running = (Get-Process -Id $PID).Path
    $script:runByDotnet = [System.IO.Path]::GetFileNameWithoutExtension($running) -eq 'dotnet'
    $script:windows = [System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([System.Runtime.InteropServices.OSPlatform]::Windows)
    $script:skipReason = 'the fake dotnet hosts here are shell scripts; Windows would need dotnet.exe fakes'
}

Describe 'Start-SobotReceiver and the .NET runtime the receiver needs' {
    It 'asks for the runtimes the receiver''s runtimeconfig.json names: Microsoft.NETCore.App and Microsoft.AspNetCore.App 10, with the default roll-forward' {
        ($required | ForEach-Object { "$($_.Name) $($_.Version.Major) $($_.RollForward)" }) | Should -Be 'Microsoft.NETCore.App 10 ', 'Microsoft.AspNetCore.App 10 '
    }

    It 'accepts the dotnet that runs these tests' {
        if (-not $runByDotnet) { Set-ItResult -Skipped -Because "these tests are not run by dotnet ($running)"; return }
        $choice = Select-Dotnet (Get-Candidates -Running $running)
        $choice.Host | Should -Be $running
        $choice.Problem | Should -BeNullOrEmpty
    }

    It 'tries DOTNET_ROOT, the running dotnet, the one beside the runtime, Program Files, then each dotnet on the PATH; each once, never a relative folder' {
        if ($windows) { Set-ItResult -Skipped -Because $skipReason; return }
        $root, $beside, $programs, $first, $second = 'root', 'x', 'pf/dotnet', 'first', 'second' |
            ForEach-Object { New-FakeDotnet $_ 'Microsoft.NETCore.App 10.0.1' }
        # The runtime's folder is <dotnet>/shared/Microsoft.NETCore.App/<version>.
        $runtimeDirectory = Join-Path $beside 'shared/Microsoft.NETCore.App/10.0.1'
        $null = New-Item -ItemType Directory $runtimeDirectory
        $null = New-FakeDotnet 'relative' 'Microsoft.NETCore.App 10.0.1'
        $found = Push-Location $TestDrive -PassThru | ForEach-Object {
            try { Get-Candidates $root (Join-Path $first 'dotnet') $runtimeDirectory (Join-Path $TestDrive 'pf') "relative$sep$sep$first$sep$second$sep$root" }
            finally { Pop-Location }
        }
        # The running executable only counts when it is a dotnet: here it is the first one on the PATH, asked once.
        $found.Path | Should -Be (Join-Path $root 'dotnet'), (Join-Path $first 'dotnet'), (Join-Path $beside 'dotnet'), (Join-Path $programs 'dotnet'), (Join-Path $second 'dotnet')
        $found.Source | Should -Be 'DOTNET_ROOT', 'the dotnet running this PowerShell', 'beside this PowerShell''s runtime', 'Program Files', 'PATH'
        # A relative DOTNET_ROOT is the current folder too.
        (Push-Location $TestDrive -PassThru | ForEach-Object { try { Get-Candidates 'relative' } finally { Pop-Location } }).Count | Should -Be 0
    }

    It 'falls back to the running dotnet, and starts the receiver with it, when DOTNET_ROOT holds .NET 8 only' {
        if ($windows) { Set-ItResult -Skipped -Because $skipReason; return }
        if (-not $runByDotnet) { Set-ItResult -Skipped -Because "these tests are not run by dotnet ($running)"; return }
        $old = New-FakeDotnet 'dotnet8' 'Microsoft.AspNetCore.App 8.0.11', 'Microsoft.NETCore.App 8.0.11'
        $receiver = Invoke-WithVariable @{ DOTNET_ROOT = $old } { Start-SobotReceiver -Path (Join-Path $TestDrive 'fallback/events.db') }
        try {
            (Get-Process -Id $receiver.ProcessId).Path | Should -Be $running
            # Asked for its runtimes, never given the receiver to run.
            Get-Content (Join-Path $old 'calls.log') | Should -Be '--list-runtimes'
        }
        finally { $receiver | Stop-SobotReceiver }
    }

    It 'starts the receiver with the dotnet the check accepted' {
        if ($windows) { Set-ItResult -Skipped -Because $skipReason; return }
        if (-not $runByDotnet) { Set-ItResult -Skipped -Because "these tests are not run by dotnet ($running)"; return }
        $accepted = New-FakeDotnet 'accepted' 'Microsoft.AspNetCore.App 10.0.7', 'Microsoft.NETCore.App 10.0.7' -Forward $running
        $receiver = Invoke-WithVariable @{ DOTNET_ROOT = $accepted } { Start-SobotReceiver -Path (Join-Path $TestDrive 'accepted/events.db') }
        try {
            $calls = Get-Content (Join-Path $accepted 'calls.log')
            $calls[0] | Should -Be '--list-runtimes'
            $calls[1] | Should -BeLike "$receiverDll --handshake *"
            $calls.Count | Should -Be 2
        }
        finally { $receiver | Stop-SobotReceiver }
    }

    It 'stops with one SobotReceiverRuntimeMissing error naming every dotnet asked, what each has and the fix, and starts and creates nothing, when none has the runtimes' {
        if ($windows) { Set-ItResult -Skipped -Because $skipReason; return }
        if ([Environment]::Version.Build -eq 0) { Set-ItResult -Skipped -Because 'the dotnet running these tests is exactly 10.0.0, which DOTNET_ROLL_FORWARD=Disable accepts'; return }
        # DOTNET_ROLL_FORWARD=Disable asks for exactly 10.0.0: the running dotnet (a later patch) does not have it either.
        $preview = New-FakeDotnet 'dotnet10rc' 'Microsoft.AspNetCore.App 10.0.0-rc.2.25502.107', 'Microsoft.NETCore.App 10.0.0-rc.2.25502.107'
        $old = New-FakeDotnet 'dotnet8-on-path' 'Microsoft.AspNetCore.App 8.0.11', 'Microsoft.NETCore.App 8.0.11'
        $store = Join-Path $TestDrive 'never/events.db'
        $e = Invoke-WithVariable @{ DOTNET_ROOT = $preview; PATH = $old; DOTNET_ROLL_FORWARD = 'Disable' } {
            try { Start-SobotReceiver -Path $store; $null } catch { $_ }
        }
        $e | Should -Not -BeNullOrEmpty
        $e.FullyQualifiedErrorId | Should -Be 'SobotReceiverRuntimeMissing,SobotPS.Commands.StartSobotReceiverCommand'
        $e.CategoryInfo.Category | Should -Be 'NotInstalled'
        $e.Exception.Message | Should -BeLike '*needs the .NET 10 runtime (Microsoft.NETCore.App 10.0.0 exactly and Microsoft.AspNetCore.App 10.0.0 exactly); no dotnet found has it: *'
        $e.Exception.Message | Should -BeLike "*'$preview/dotnet' (DOTNET_ROOT) has Microsoft.AspNetCore.App 10.0.0-rc.2.25502.107, Microsoft.NETCore.App 10.0.0-rc.2.25502.107; *"
        $e.Exception.Message | Should -BeLike "*; '*' (*) has *Microsoft.NETCore.App 10.0.$([Environment]::Version.Build)*"
        $e.Exception.Message | Should -BeLike "*; '$old/dotnet' (PATH) has Microsoft.AspNetCore.App 8.0.11, Microsoft.NETCore.App 8.0.11. Install the ASP.NET Core Runtime 10.0*https://dotnet.microsoft.com/download/dotnet/10.0*"
        $e.Exception.Message | Should -BeLike '*DOTNET_ROLL_FORWARD=Disable asks for exactly those versions: without it, a later patch runs the receiver.'
        # Each was asked for its runtimes, none given the receiver to run; the store's folder was not created.
        Get-Content (Join-Path $preview 'calls.log') | Should -Be '--list-runtimes'
        Get-Content (Join-Path $old 'calls.log') | Should -Be '--list-runtimes'
        Test-Path (Split-Path $store) | Should -BeFalse
    }

    It 'does not count a pre-release (10.0.0-rc.2) as 10.0.0, and names the missing ASP.NET Core runtime of a dotnet with only Microsoft.NETCore.App 10' {
        if ($windows) { Set-ItResult -Skipped -Because $skipReason; return }
        $preview = New-FakeDotnet 'rc' 'Microsoft.AspNetCore.App 10.0.0-rc.2.25502.107', 'Microsoft.NETCore.App 10.0.0-rc.2.25502.107'
        $core = New-FakeDotnet 'core-only' 'Microsoft.NETCore.App 10.0.3'
        $choice = Select-Dotnet (Get-Candidates -Path "$preview$sep$core")
        $choice.Host | Should -BeNullOrEmpty
        $choice.Problem | Should -BeLike "*(Microsoft.NETCore.App 10.x and Microsoft.AspNetCore.App 10.x); no dotnet found has it: '$preview/dotnet' (PATH) has Microsoft.AspNetCore.App 10.0.0-rc.2.25502.107, Microsoft.NETCore.App 10.0.0-rc.2.25502.107; '$core/dotnet' (PATH) has Microsoft.NETCore.App 10.0.3. Install the ASP.NET Core Runtime 10.0*"
        Get-Content (Join-Path $core 'calls.log') | Should -Be '--list-runtimes'
        # One install reached by two paths (a link on the PATH) is named once, with both.
        $alias = Join-Path $TestDrive 'alias'
        $null = New-Item -ItemType Directory $alias
        ln -s (Join-Path $core 'dotnet') (Join-Path $alias 'dotnet')
        (Select-Dotnet (Get-Candidates -Path "$core$sep$alias")).Problem | Should -BeLike "*no dotnet found has it: '$core/dotnet' (PATH), '$alias/dotnet' (PATH) has Microsoft.NETCore.App 10.0.3. Install*"
        # A later pre-release counts where the host would take it for want of a release.
        $patch = New-FakeDotnet 'patch-rc' 'Microsoft.AspNetCore.App 10.0.1-rc.1.1', 'Microsoft.NETCore.App 10.0.1-rc.1.1'
        (Select-Dotnet (Get-Candidates -Path "$preview$sep$patch")).Host | Should -Be (Join-Path $patch 'dotnet')
    }

    It 'stops at the first dotnet that has the runtimes' {
        if ($windows) { Set-ItResult -Skipped -Because $skipReason; return }
        $old, $good, $later = @('old', 'Microsoft.AspNetCore.App 8.0.11', 'Microsoft.NETCore.App 8.0.11'), @('good', 'Microsoft.AspNetCore.App 10.0.2', 'Microsoft.NETCore.App 10.0.2'),
            @('later', 'Microsoft.AspNetCore.App 10.0.5', 'Microsoft.NETCore.App 10.0.5') | ForEach-Object { New-FakeDotnet $_[0] $_[1..2] }
        (Select-Dotnet (Get-Candidates $old -Path "$good$sep$later")).Host | Should -Be (Join-Path $good 'dotnet')
        Test-Path (Join-Path $later 'calls.log') | Should -BeFalse
    }

    It 'says no dotnet was found when there is none' {
        $choice = Select-Dotnet (Get-Candidates -Path (Join-Path $TestDrive 'nowhere'))
        $choice.Host | Should -BeNullOrEmpty
        $choice.Problem | Should -BeLike '*needs the .NET 10 runtime*no dotnet was found (none in DOTNET_ROOT, beside this PowerShell, *or on the PATH). Install the ASP.NET Core Runtime 10.0*then start a new PowerShell so that dotnet is on the PATH*'
    }

    It 'accepts a later 10.x; a later major only with DOTNET_ROLL_FORWARD=Major or LatestMajor; exactly 10.0.0 with Disable; never an older major' {
        if ($windows) { Set-ItResult -Skipped -Because $skipReason; return }
        $later = New-FakeDotnet 'dotnet10later' 'Microsoft.AspNetCore.App 10.2.1', 'Microsoft.NETCore.App 10.2.1', 'Microsoft.NETCore.App 8.0.11'
        (Select-Dotnet (Get-Candidates $later)).Host | Should -Be (Join-Path $later 'dotnet')
        (Select-Dotnet (Get-Candidates $later) -RollForward Disable).Problem | Should -BeLike '*10.0.0 exactly*'
        $exact = New-FakeDotnet 'dotnet10exact' 'Microsoft.AspNetCore.App 10.0.0', 'Microsoft.NETCore.App 10.0.0'
        (Select-Dotnet (Get-Candidates $exact) -RollForward disable).Host | Should -Be (Join-Path $exact 'dotnet')
        $eleven = New-FakeDotnet 'dotnet11' 'Microsoft.AspNetCore.App 11.0.0', 'Microsoft.NETCore.App 11.0.0'
        (Select-Dotnet (Get-Candidates $eleven)).Problem | Should -BeLike '*needs the .NET 10 runtime*'
        (Select-Dotnet (Get-Candidates $eleven) -RollForward Major).Host | Should -Be (Join-Path $eleven 'dotnet')
        (Select-Dotnet (Get-Candidates $eleven) -RollForward LatestMajor).Host | Should -Be (Join-Path $eleven 'dotnet')
        $nine = New-FakeDotnet 'dotnet9' 'Microsoft.AspNetCore.App 9.0.5', 'Microsoft.NETCore.App 9.0.5'
        (Select-Dotnet (Get-Candidates $nine) -RollForward Major).Problem | Should -BeLike '*has Microsoft.AspNetCore.App 9.0.5*'
    }
}
