<#
.SYNOPSIS
    Imports a CSV of customers into Sobot. Safe to run again: customers already there are skipped quietly.
.DESCRIPTION
    Columns bind by name: Name, Mobile (or Phone, Number), Email, Gender, DateOfBirth, Labels ("vip;pune"), …
    Prints one line per outcome kind and writes the rows that failed for another reason to failed-customers.csv.
.EXAMPLE
    ./Import-Customers.ps1 -CsvPath ./customers.csv
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $CsvPath,
    [string] $FailedPath = (Join-Path (Split-Path $CsvPath) 'failed-customers.csv')
)
$ErrorActionPreference = 'Stop'
Import-Module SobotPS
if (-not (Get-SobotConnection)) { Connect-Sobot }

$added = @(Import-Csv $CsvPath | Add-SobotCustomer -ErrorAction SilentlyContinue -ErrorVariable problems)
$existing = @($problems | Where-Object FullyQualifiedErrorId -like 'CustomerAlreadyExists,*')
$failed = @($problems | Where-Object FullyQualifiedErrorId -notlike 'CustomerAlreadyExists,*')
"Added: $($added.Count); already there: $($existing.Count); failed: $($failed.Count)"
if ($failed) {
    $failed | ForEach-Object { $_.TargetObject | Add-Member -NotePropertyName Error -NotePropertyValue $_.Exception.Message -PassThru -Force } |
        Export-Csv $FailedPath -NoTypeInformation
    "Failed rows written to $FailedPath"
}
# A failed row makes the exit code 1, so a scheduler shows the run as failed.
exit $(if ($failed) { 1 } else { 0 })
