# Dot-sourced by build/Publish-LocalRepository.ps1 and the Pester tests that install the module.

<#
.SYNOPSIS
    Runs a command in a child pwsh whose user profile is a scratch folder, and returns its exit code and output.
.DESCRIPTION
    PSResourceGet keeps its repository list, and NuGet its NuGet.Config, in the user's profile. HOME, the XDG
    folders and the .NET CLI home all point into -ProfilePath, and so does the working directory: when .NET cannot
    resolve a profile folder it answers with an empty path, and those files land in the working directory (that is
    how NuGet/ and PSResourceGet/ once appeared at the root of the checkout). PSModulePath is dropped, so the child
    sees only $PSHOME's modules and those installed into the scratch profile.
#>
function Invoke-ScratchPwsh {
    param(
        [Parameter(Mandatory)] [string] $ProfilePath,
        [Parameter(Mandatory)] [string] $Command
    )
    $profileRoot = [IO.Path]::GetFullPath($ProfilePath)
    $null = New-Item -ItemType Directory -Force $profileRoot
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $Command)) { $psi.ArgumentList.Add($a) }
    $psi.WorkingDirectory = $profileRoot
    $psi.Environment['HOME'] = $profileRoot
    $psi.Environment['XDG_DATA_HOME'] = Join-Path $profileRoot '.local/share'
    $psi.Environment['XDG_CONFIG_HOME'] = Join-Path $profileRoot '.config'
    $psi.Environment['XDG_CACHE_HOME'] = Join-Path $profileRoot '.cache'
    $psi.Environment['DOTNET_CLI_HOME'] = $profileRoot
    $null = $psi.Environment.Remove('PSModulePath')
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $p = [System.Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEnd()
    $p.WaitForExit()
    [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $out }
}
