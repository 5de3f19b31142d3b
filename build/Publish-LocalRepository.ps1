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
$null = New-Item -ItemType Directory -Force $RepositoryPath
$home_ = Join-Path ([IO.Path]::GetTempPath()) ('sobotps-publish-' + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory $home_
try {
    $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name SobotPSLocal -Uri '$((Resolve-Path $RepositoryPath).Path)' -Trusted
Publish-PSResource -Path '$((Resolve-Path $ModulePath).Path)' -Repository SobotPSLocal
"@
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $script)) { $psi.ArgumentList.Add($a) }
    $psi.Environment['HOME'] = $home_
    foreach ($v in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') { $null = $psi.Environment.Remove($v) }
    $psi.UseShellExecute = $false
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.WaitForExit()
    if ($p.ExitCode -ne 0) { throw "Publish-PSResource failed (exit code $($p.ExitCode))." }
    Get-ChildItem $RepositoryPath -Filter '*.nupkg'
}
finally {
    Remove-Item $home_ -Recurse -Force -ErrorAction SilentlyContinue
}
