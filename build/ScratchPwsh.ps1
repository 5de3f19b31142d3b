# Dot-sourced by build/Publish-LocalRepository.ps1 and the Pester tests that install the module.

<#
.SYNOPSIS
    Runs a command in a child pwsh whose user profile is a scratch folder, and returns its exit code and output.
.DESCRIPTION
    PSResourceGet keeps its repository list, and NuGet its NuGet.Config, in the user's profile. HOME, the XDG
    folders (created here) and the .NET CLI home all point into -ProfilePath, and so does the working directory.
    When a profile folder does not exist, or no home can be resolved, .NET answers an empty path and those files
    land in the working directory: Publish-PSResource in a fresh HOME wrote NuGet/NuGet.Config into the checkout
    that way, and PSResourceGet/ got there too. PSModulePath is dropped, so the child sees only $PSHOME's modules
    and those installed into the scratch profile.
#>
function Invoke-ScratchPwsh {
    param(
        [Parameter(Mandatory)] [string] $ProfilePath,
        [Parameter(Mandatory)] [string] $Command,
        # Variables for the child (keys, say: a command line is visible to every user of the machine).
        [hashtable] $Environment = @{}
    )
    $profileRoot = [IO.Path]::GetFullPath($ProfilePath)
    $null = New-Item -ItemType Directory -Force $profileRoot
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $Command)) { $psi.ArgumentList.Add($a) }
    $psi.WorkingDirectory = $profileRoot
    $psi.Environment['HOME'] = $profileRoot
    foreach ($xdg in @{ XDG_DATA_HOME = '.local/share'; XDG_CONFIG_HOME = '.config'; XDG_CACHE_HOME = '.cache' }.GetEnumerator()) {
        # Created up front: .NET answers an empty path for a profile folder that does not exist yet.
        $psi.Environment[$xdg.Key] = (New-Item -ItemType Directory -Force (Join-Path $profileRoot $xdg.Value)).FullName
    }
    $psi.Environment['DOTNET_CLI_HOME'] = $profileRoot
    $null = $psi.Environment.Remove('PSModulePath')
    foreach ($v in $Environment.GetEnumerator()) { $psi.Environment[$v.Key] = [string]$v.Value }
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $p = [System.Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEnd()
    $p.WaitForExit()
    [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $out }
}
