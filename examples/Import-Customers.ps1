<#
.SYNOPSIS
    Imports a CSV of customers into Sobot. Safe to run again: customers already there are skipped quietly.
.DESCRIPTION
    Columns bind by name: Name, Mobile (or Phone, Number), Email, Gender, DateOfBirth, Labels ("vip;pune"), ...
    Prints one line per outcome kind and writes the rows that failed for another reason, with the reason, to
    failed-customers.csv: a list to read (and open in a spreadsheet), so text that would start a formula there (a
    name such as =HYPERLINK(...)) begins with an apostrophe, as -SafeForSpreadsheet makes it. Fix those rows in your
    CSV and run the script again on it: customers already there are skipped.
.EXAMPLE
    ./Import-Customers.ps1 -CsvPath ./customers.csv
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $CsvPath,
    # Default: failed-customers.csv beside the CSV (in the current folder for a bare file name).
    [string] $FailedPath
)
$ErrorActionPreference = 'Stop'
Import-Module SobotPS
if (-not (Get-SobotConnection)) { Connect-Sobot }
if (-not $FailedPath) {
    $folder = Split-Path -Parent $CsvPath
    $FailedPath = Join-Path $(if ($folder) { $folder } else { '.' }) 'failed-customers.csv'
}

# -Encoding UTF8 in both editions: Windows PowerShell 5.1 would read a CSV without a BOM in the ANSI code page and
# write ASCII (and a #TYPE line without -NoTypeInformation).
$added = @(Import-Csv $CsvPath -Encoding UTF8 | Add-SobotCustomer -ErrorAction SilentlyContinue -ErrorVariable problems)
$existing = @($problems | Where-Object FullyQualifiedErrorId -like 'CustomerAlreadyExists,*')
$failed = @($problems | Where-Object FullyQualifiedErrorId -notlike 'CustomerAlreadyExists,*')
"Added: $($added.Count); already there: $($existing.Count); failed: $($failed.Count)"
if ($failed) {
    # The rows are what the CSV said, the errors what Sobot answered: both can hold text a spreadsheet would run as a
    # formula. The same rule as the cmdlets' -SafeForSpreadsheet makes it inert.
    $failed | ForEach-Object { $_.TargetObject | Add-Member -NotePropertyName Error -NotePropertyValue $_.Exception.Message -PassThru -Force } |
        ForEach-Object { [SobotPS.SpreadsheetOutput]::Inert($_) } |
        Export-Csv $FailedPath -NoTypeInformation -Encoding UTF8
    "Failed rows written to $FailedPath"
}
# A failed row makes the exit code 1, so a scheduler shows the run as failed.
exit $(if ($failed) { 1 } else { 0 })
