<#
.SYNOPSIS
    Publishes a built module as a .nupkg to a folder used as a PowerShell repository, the way
    Install-PSResource will later find it. PSResourceGet keeps its repository list in the user's profile,
    so the publishing runs in a child pwsh whose HOME is a scratch folder: nothing is registered for you.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $RepositoryPath
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'ScratchPwsh.ps1')
$null = New-Item -ItemType Directory -Force $RepositoryPath
$home_ = Join-Path ([IO.Path]::GetTempPath()) ('sobotps-publish-' + [guid]::NewGuid().ToString('N'))
try {
    $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name SobotPSLocal -Uri '$((Resolve-Path $RepositoryPath).Path)' -Trusted
Publish-PSResource -Path '$((Resolve-Path $ModulePath).Path)' -Repository SobotPSLocal
"@
    $publish = Invoke-ScratchPwsh -ProfilePath $home_ -Command $script
    if ($publish.ExitCode -ne 0) { throw "Publish-PSResource failed (exit code $($publish.ExitCode)): $($publish.Output)" }
    Get-ChildItem $RepositoryPath -Filter '*.nupkg'
}
finally {
    Remove-Item $home_ -Recurse -Force -ErrorAction SilentlyContinue
}
