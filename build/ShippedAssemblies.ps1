# Dot-sourced by build.ps1 and the Pester tests: the one list of shipped DLLs, src/SobotPS/ShippedAssemblies.txt
# (SobotPS.dll embeds the same file for its loader). One file name a line; blank lines and '#' comments are skipped.
function Get-ShippedAssembly {
    [OutputType([string])]
    param([string] $Path = (Join-Path $PSScriptRoot '../src/SobotPS/ShippedAssemblies.txt'))
    foreach ($line in [IO.File]::ReadAllLines((Resolve-Path -LiteralPath $Path).Path)) {
        $name = $line.Trim()
        if ($name -and -not $name.StartsWith('#')) { $name }
    }
}
