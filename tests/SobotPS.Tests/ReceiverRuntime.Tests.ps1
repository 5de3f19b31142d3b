# Start-SobotReceiver on a machine without the .NET runtime the receiver needs (Windows PowerShell 5.1 runs the module
# on .NET Framework; the receiver still needs dotnet with Microsoft.NETCore.App and Microsoft.AspNetCore.App 10): one
# clear error with the fix, and nothing started or created. The dotnet hosts here are fakes: shell scripts in a temp
# folder that print what an older install prints and log how they were called.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $script:receiverDll = Join-Path (Split-Path $ModuleManifest) 'receiver/Sobot.Receiver.dll'
    $runtime = (Get-Command Start-SobotReceiver).ImplementingType.Assembly.GetType('SobotPS.ReceiverRuntime', $true)
    $flags = [System.Reflection.BindingFlags]'Static, NonPublic'
    $script:problemMethod = $runtime.GetMethod('Problem', $flags)
    $script:required = $runtime.GetMethod('Required', $flags).Invoke($null, [object[]]@([string]$receiverDll))

    $script:findMethod = $runtime.GetMethod('Find', $flags)

    # What the module's check says about the dotnet host named ($null: none found).
    function Get-RuntimeProblem([string] $HostName) { $problemMethod.Invoke($null, [object[]]@($(if ($HostName) { $HostName } else { $null }), $required)) }

    # The dotnet host the module would run, for a PowerShell that is not itself run by dotnet (powershell.exe, a
    # self-contained pwsh) and has no DOTNET_ROOT: the PATH decides.
    function Find-DotnetOnPath([string] $Path) { $findMethod.Invoke($null, [object[]]@($null, [string](Join-Path $TestDrive 'powershell'), $null, [string]$Path)) }

    # A folder holding a fake dotnet that prints these runtimes (as dotnet --list-runtimes does) and logs its arguments.
    function New-FakeDotnet([string] $Name, [string[]] $Runtimes) {
        $folder = Join-Path $TestDrive $Name
        $null = New-Item -ItemType Directory $folder
        $lines = @('#!/bin/sh', 'echo "$@" >> "$(dirname "$0")/calls.log"') + ($Runtimes | ForEach-Object { "echo '$_ [/opt/dotnet/shared/$(($_ -split ' ')[0])]'" })
        [System.IO.File]::WriteAllText((Join-Path $folder 'dotnet'), ($lines -join "`n") + "`n")
        chmod 755 (Join-Path $folder 'dotnet')
        $folder
    }

    # Runs $Script with an environment variable changed, and puts it back.
    function Invoke-WithVariable([string] $Name, [string] $Value, [scriptblock] $Script) {
        $saved = [Environment]::GetEnvironmentVariable($Name)
        [Environment]::SetEnvironmentVariable($Name, $Value)
        try { & $Script }
        finally { [Environment]::SetEnvironmentVariable($Name, $saved) }
    }

    $script:windows = [System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([System.Runtime.InteropServices.OSPlatform]::Windows)
    $script:skipReason = 'the fake dotnet hosts here are shell scripts; Windows would need dotnet.exe fakes'
}

Describe 'Start-SobotReceiver without the .NET runtime the receiver needs' {
    It 'asks for the runtimes the receiver''s runtimeconfig.json names: Microsoft.NETCore.App and Microsoft.AspNetCore.App 10' {
        ($required | ForEach-Object { "$($_.Key) $($_.Value.Major)" }) | Should -Be 'Microsoft.NETCore.App 10', 'Microsoft.AspNetCore.App 10'
    }

    It 'finds nothing wrong with the dotnet that runs these tests' {
        Get-RuntimeProblem (Get-Process -Id $PID).Path | Should -BeNullOrEmpty
    }

    It 'stops with one SobotReceiverRuntimeMissing error naming what the dotnet has and the fix, and starts and creates nothing, when DOTNET_ROOT holds .NET 8 only' {
        if ($windows) { Set-ItResult -Skipped -Because $skipReason; return }
        $old = New-FakeDotnet 'dotnet8' 'Microsoft.AspNetCore.App 8.0.11', 'Microsoft.NETCore.App 8.0.11'
        $store = Join-Path $TestDrive 'never/events.db'
        $e = Invoke-WithVariable DOTNET_ROOT $old {
            try { Start-SobotReceiver -Path $store; $null } catch { $_ }
        }
        $e | Should -Not -BeNullOrEmpty
        $e.FullyQualifiedErrorId | Should -Be 'SobotReceiverRuntimeMissing,SobotPS.Commands.StartSobotReceiverCommand'
        $e.CategoryInfo.Category | Should -Be 'NotInstalled'
        $e.Exception.Message | Should -BeLike "*needs the .NET 10 runtime (Microsoft.NETCore.App 10.x and Microsoft.AspNetCore.App 10.x)*"
        $e.Exception.Message | Should -BeLike "*'$old/dotnet' has Microsoft.AspNetCore.App 8.0.11, Microsoft.NETCore.App 8.0.11*"
        $e.Exception.Message | Should -BeLike '*Install the ASP.NET Core Runtime 10.0*https://dotnet.microsoft.com/download/dotnet/10.0*'
        # Asked for its runtimes, never given the receiver to run; the store's folder was not created.
        Get-Content (Join-Path $old 'calls.log') | Should -Be '--list-runtimes'
        Test-Path (Split-Path $store) | Should -BeFalse
    }

    It 'names the missing ASP.NET Core runtime when the dotnet first on the PATH has only Microsoft.NETCore.App 10' {
        if ($windows) { Set-ItResult -Skipped -Because $skipReason; return }
        $core = New-FakeDotnet 'core-only' 'Microsoft.NETCore.App 10.0.3'
        $found = Find-DotnetOnPath "$core$([System.IO.Path]::PathSeparator)$env:PATH"
        $found | Should -Be (Join-Path $core 'dotnet')
        Get-RuntimeProblem $found | Should -BeLike "*'$core/dotnet' has Microsoft.NETCore.App 10.0.3. Install the ASP.NET Core Runtime 10.0*"
        Get-Content (Join-Path $core 'calls.log') | Should -Be '--list-runtimes'
    }

    It 'says no dotnet was found when the PATH has none' {
        if ($windows) { Set-ItResult -Skipped -Because $skipReason; return }
        $empty = Join-Path $TestDrive 'empty-path'
        $null = New-Item -ItemType Directory $empty
        # An empty entry and a relative one (the current folder, where anybody's dotnet could wait) are not searched.
        Set-Content (Join-Path $TestDrive 'dotnet') '#!/bin/sh'
        $found = Push-Location $TestDrive -PassThru | ForEach-Object { try { Find-DotnetOnPath "$empty$([System.IO.Path]::PathSeparator)$([System.IO.Path]::PathSeparator)." } finally { Pop-Location } }
        $found | Should -BeNullOrEmpty
        Get-RuntimeProblem $found | Should -BeLike '*needs the .NET 10 runtime*no dotnet was found (none in DOTNET_ROOT, none on the PATH). Install the ASP.NET Core Runtime 10.0*then start a new PowerShell so that dotnet is on the PATH*'
    }

    It 'accepts a later 10.x, and a later major only with DOTNET_ROLL_FORWARD=Major; never an older major' {
        if ($windows) { Set-ItResult -Skipped -Because $skipReason; return }
        $later = New-FakeDotnet 'dotnet10later' 'Microsoft.AspNetCore.App 10.2.1', 'Microsoft.NETCore.App 10.2.1', 'Microsoft.NETCore.App 8.0.11'
        Get-RuntimeProblem (Join-Path $later 'dotnet') | Should -BeNullOrEmpty
        $eleven = New-FakeDotnet 'dotnet11' 'Microsoft.AspNetCore.App 11.0.0', 'Microsoft.NETCore.App 11.0.0'
        Get-RuntimeProblem (Join-Path $eleven 'dotnet') | Should -BeLike '*needs the .NET 10 runtime*'
        Invoke-WithVariable DOTNET_ROLL_FORWARD Major { Get-RuntimeProblem (Join-Path $eleven 'dotnet') } | Should -BeNullOrEmpty
        $nine = New-FakeDotnet 'dotnet9' 'Microsoft.AspNetCore.App 9.0.5', 'Microsoft.NETCore.App 9.0.5'
        Invoke-WithVariable DOTNET_ROLL_FORWARD Major { Get-RuntimeProblem (Join-Path $nine 'dotnet') } | Should -BeLike "*has Microsoft.AspNetCore.App 9.0.5*"
    }
}
