<#
.SYNOPSIS
    Templates as code: keeps the account's templates in line with templates.json.
.DESCRIPTION
    Creates the templates the account lacks (they start pending until Meta approves them), lists the others
    with their status, and warns about templates that differ from their definition. Run with -WhatIf in a
    pull request check to see the plan; run without it after merging. Running it twice creates nothing new.
.EXAMPLE
    ./Sync-Templates.ps1 -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param([string] $Path = (Join-Path $PSScriptRoot 'templates.json'))
$ErrorActionPreference = 'Stop'
Import-Module SobotPS
if (-not (Get-SobotConnection)) { Connect-Sobot }
Sync-SobotTemplate -Path $Path -WhatIf:$WhatIfPreference | Format-Table Name, Language, Action, Status, Differences -AutoSize | Out-String -Width 200
