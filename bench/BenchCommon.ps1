# What bench/Invoke-Benchmark.ps1 and bench/Invoke-PacingBenchmark.ps1 share; dot-sourced by both. They set $Scale,
# $work (a temporary folder) and $results (a list) before calling these.

function Rows([int] $n) { [int][Math]::Max(10, [Math]::Round($n * $Scale)) }

# Rows of Name,Mobile,OrderId, written once per count; -Offset gives another run its own customer numbers.
function New-Csv([int] $Count, [int] $Offset = 0) {
    $path = Join-Path $work "rows-$Count-$Offset.csv"
    if (Test-Path $path) { return $path }
    $w = [IO.StreamWriter]::new($path)
    $w.WriteLine('Name,Mobile,OrderId')
    for ($i = 0; $i -lt $Count; $i++) { $w.WriteLine(('Customer {0},9199{1:000000}55,{0}' -f $i, (($i + $Offset) % 1000000))) }
    $w.Dispose()
    $path
}

function Add-Result([string] $Scenario, [string] $Measure, $Value, [string] $Target, [Nullable[bool]] $Met) {
    $r = [pscustomobject]@{ Scenario = $Scenario; Measure = $Measure; Value = $Value; Target = $Target; Met = if ($null -eq $Met) { '' } elseif ($Met) { 'yes' } else { 'NO' } }
    $results.Add($r)
    Write-Host ("{0} | {1} | {2} | {3} {4}" -f $Scenario, $Measure, $Value, $Target, $r.Met).TrimEnd()
}

# The results as the rows of a markdown table, its header included.
function Format-ResultTable {
    '| Scenario | Measure | Value | Target | Met |'
    '|---|---|---|---|---|'
    foreach ($r in $results) { "| $($r.Scenario) | $($r.Measure -replace '\|', '\|') | $($r.Value) | $($r.Target) | $($r.Met) |" }
}

function Use-Emulator([string[]] $Arguments, [scriptblock] $Body) {
    $emu = Start-SobotEmulator -ArgumentList $Arguments
    try { & $Body $emu } finally { $emu | Stop-SobotEmulator }
}

# The user's line, timed: rows sent, failed, seconds and msg/s.
function Measure-Send([string] $Csv, [hashtable] $Extra = @{}) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $errors = $null
    $sent = Import-Csv $Csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } @Extra -ErrorVariable errors -ErrorAction SilentlyContinue | Measure-Object | Select-Object -ExpandProperty Count
    $watch.Stop()
    [pscustomobject]@{ Sent = $sent; Failed = @($errors).Count; Seconds = $watch.Elapsed.TotalSeconds; Rate = $sent / $watch.Elapsed.TotalSeconds }
}
