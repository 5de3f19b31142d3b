<#
.SYNOPSIS
    Measures SobotPS against hand-written Invoke-RestMethod loops on the local emulator, prints a table
    and writes bench/results.md. Run through: dotnet pwsh ./build.ps1 -Task Bench
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../out/SobotPS/SobotPS.psd1'),
    [string] $OutFile = (Join-Path $PSScriptRoot 'results.md'),
    # Smaller row counts for a quick look; the targets are stated for the defaults.
    [double] $Scale = 1.0,
    # Which scenarios to run (1 and 5 run together; the 80 msg/s scenario that was 2 is scenario 2 of
    # Invoke-PacingBenchmark.ps1).
    [ValidateSet(1, 3, 4, 5, 6)]
    [int[]] $Scenario = @(1, 3, 4, 5, 6)
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../build/SobotEmulator.psm1') -Force
Import-Module $ModuleManifest -Force
$work = Join-Path ([IO.Path]::GetTempPath()) ("sobot-bench-" + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory $work
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$secret = ConvertTo-SecureString 'demo-secret-key' -AsPlainText -Force
$headers = @{ 'x-api-key' = 'demo-access-key'; 'x-api-secret' = 'demo-secret-key' }
$results = [System.Collections.Generic.List[object]]::new()
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')


Write-Host "SobotPS benchmark on $([Environment]::ProcessorCount) cores, PowerShell $($PSVersionTable.PSVersion), .NET $([Environment]::Version)"

# 1. Latency-bound -----------------------------------------------------------------------------
$latency = 100
if ($Scenario -contains 1 -or $Scenario -contains 5) {
Use-Emulator @('--latency-ms', "$latency", '--no-retain') {
    param($emu)
    $uri = "$($emu.BaseUri)/message/"
    $small = New-Csv (Rows 200)
    $big = New-Csv (Rows 2000)

    $watch = [Diagnostics.Stopwatch]::StartNew()
    $n = 0
    Import-Csv $small | ForEach-Object {
        $body = @{ customer_number = $_.Mobile; customer_name = $_.Name; template_name = 'order_update'; template_lang = 'en'
            params = @(@{ type = 'body'; parameters = @(@{ type = 'text'; text = $_.OrderId }) }) } | ConvertTo-Json -Depth 6 -Compress
        $null = Invoke-RestMethod -Method Post -Uri $uri -Headers $headers -ContentType 'application/json' -Body $body
        $n++
    }
    $loop = $n / $watch.Elapsed.TotalSeconds
    Add-Result '1 latency 100 ms' 'Invoke-RestMethod loop, msg/s' ([Math]::Round($loop, 1)) '' $null

    $watch = [Diagnostics.Stopwatch]::StartNew()
    $count = Import-Csv $big | ForEach-Object -ThrottleLimit 16 -Parallel {
        $body = @{ customer_number = $_.Mobile; customer_name = $_.Name; template_name = 'order_update'; template_lang = 'en'
            params = @(@{ type = 'body'; parameters = @(@{ type = 'text'; text = $_.OrderId }) }) } | ConvertTo-Json -Depth 6 -Compress
        $null = Invoke-RestMethod -Method Post -Uri $using:uri -Headers $using:headers -ContentType 'application/json' -Body $body
        1
    } | Measure-Object | Select-Object -ExpandProperty Count
    $parallel = $count / $watch.Elapsed.TotalSeconds
    Add-Result '1 latency 100 ms' 'ForEach-Object -Parallel 16 + Invoke-RestMethod, msg/s' ([Math]::Round($parallel, 1)) '' $null

    Connect-Sobot -AccessKey demo-access-key -SecretKey $secret -BaseUri $emu.BaseUri
    $s = Measure-Send $big
    $script:scenario1 = $s
    Add-Result '1 latency 100 ms' 'Send-SobotTemplate defaults, msg/s' ([Math]::Round($s.Rate, 1)) '' $null
    Add-Result '1 latency 100 ms' 'SobotPS / loop' ([Math]::Round($s.Rate / $loop, 1)) '>= 25' ($s.Rate / $loop -ge 25)
    Add-Result '1 latency 100 ms' 'SobotPS / parallel' ([Math]::Round($s.Rate / $parallel, 2)) '>= 2' ($s.Rate / $parallel -ge 2)
    # Rate against ThrottleLimit / latency, and defaults beside a fixed -ThrottleLimit 64: Invoke-PacingBenchmark.ps1 scenario 3.

    # 5. Journal cost: the same run with a journal (fsync before each request, grouped).
    $journal = Join-Path $work 'bench.journal'
    $j = Measure-Send $big @{ JournalPath = $journal }
    Add-Result '5 journal' 'Send-SobotTemplate -JournalPath, msg/s' ([Math]::Round($j.Rate, 1)) '' $null
    $slower = 1 - $j.Rate / $s.Rate
    Add-Result '5 journal' 'slower than without journal' ('{0:P1}' -f $slower) '<= 10%' ($slower -le 0.10)
    Disconnect-Sobot
}
}

# 3. Client overhead ------------------------------------------------------------------------------
if ($Scenario -contains 3) {
Use-Emulator @('--no-retain') {
    param($emu)
    $n = Rows 20000
    $csv = New-Csv $n
    $baselineDir = Join-Path $PSScriptRoot 'HttpBaseline'
    & dotnet build $baselineDir -c Release --nologo -v quiet -o (Join-Path $work 'baseline') | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'The HttpClient baseline did not build.' }
    # Both sides at 64 requests in flight, a fixed figure (SobotPS's default concurrency adapts), so that they compare.
    $concurrency = 64
    # Steady state on both sides: each runs the full load once untimed (JIT tiering, connection pools), then timed.
    $line = & dotnet (Join-Path $work 'baseline/HttpBaseline.dll') $emu.BaseUri $n $concurrency $n
    $parts = $line -split ' '
    $baseRate = [double]$parts[0] / [double]$parts[2]
    Add-Result '3 overhead, latency 0' "bare C# HttpClient, $concurrency concurrent, msg/s (emulator throughput)" ([Math]::Round($baseRate, 0)) '>= 5000 (emulator)' ($baseRate -ge 5000)

    Connect-Sobot -AccessKey demo-access-key -SecretKey $secret -BaseUri $emu.BaseUri
    $null = Measure-Send $csv @{ ThrottleLimit = $concurrency }
    $s = Measure-Send $csv @{ ThrottleLimit = $concurrency }
    Add-Result '3 overhead, latency 0' "Import-Csv | Send-SobotTemplate -ThrottleLimit $concurrency, msg/s" ([Math]::Round($s.Rate, 0)) '' $null
    Add-Result '3 overhead, latency 0' 'SobotPS / HttpClient' ([Math]::Round($s.Rate / $baseRate, 2)) '>= 0.7' ($s.Rate / $baseRate -ge 0.7)
    Disconnect-Sobot
}
}

# 4. Memory ---------------------------------------------------------------------------------------
if ($Scenario -contains 4) {
Use-Emulator @('--no-retain') {
    param($emu)
    $peaks = foreach ($n in (Rows 20000), (Rows 200000)) {
        $csv = New-Csv $n
        $script = Join-Path $work "memory-$n.ps1"
        @"
Import-Module '$ModuleManifest'
Connect-Sobot -AccessKey demo-access-key -SecretKey (ConvertTo-SecureString demo-secret-key -AsPlainText -Force) -BaseUri '$($emu.BaseUri)'
`$sent = Import-Csv '$csv' | Send-SobotTemplate -TemplateName order_update -BodyParameter { `$_.OrderId } | Measure-Object | Select-Object -ExpandProperty Count
[GC]::Collect()
"`$sent `$((Get-Process -Id `$PID).PeakWorkingSet64)"
"@ | Set-Content $script
        $out = & dotnet $pwshDll -NoProfile -NonInteractive -File $script
        $sent, $peak = ($out | Select-Object -Last 1) -split ' '
        $mb = [Math]::Round([double]$peak / 1MB, 1)
        Add-Result '4 memory' "peak working set, $n rows ($sent sent), MB" $mb '< 250' ($mb -lt 250)
        $mb
    }
    Add-Result '4 memory' 'larger / smaller run' ([Math]::Round($peaks[1] / $peaks[0], 2)) '<= 1.2' ($peaks[1] / $peaks[0] -le 1.2)
}
}

# 6. Cold start -----------------------------------------------------------------------------------
if ($Scenario -contains 6) {
Use-Emulator @('--no-window') {
    param($emu)
    $sobot = Join-Path $work 'cold-sobot.ps1'
    $irm = Join-Path $work 'cold-irm.ps1'
    @"
Import-Module '$ModuleManifest'
Connect-Sobot -AccessKey demo-access-key -SecretKey (ConvertTo-SecureString demo-secret-key -AsPlainText -Force) -BaseUri '$($emu.BaseUri)'
`$null = Send-SobotTextMessage -CustomerNumber 919970585556 -Message 'Disk C: is 95% full'
"@ | Set-Content $sobot
    @"
`$body = '{"customer_number":"919970585556","customer_name":"919970585556","type":"text","message":"Disk C: is 95% full"}'
`$null = Invoke-RestMethod -Method Post -Uri '$($emu.BaseUri)/message/' -Headers @{ 'x-api-key' = 'demo-access-key'; 'x-api-secret' = 'demo-secret-key' } -ContentType 'application/json' -Body `$body
"@ | Set-Content $irm
    function Time-Once([string] $Path) {
        $w = [Diagnostics.Stopwatch]::StartNew()
        & dotnet $pwshDll -NoProfile -NonInteractive -File $Path
        if ($LASTEXITCODE -ne 0) { throw "$Path failed." }
        $w.Elapsed.TotalSeconds
    }
    $null = Time-Once $irm; $null = Time-Once $sobot   # warm the disk cache
    # Alternate the two so a slower moment of the machine hits both alike; take the medians of 9.
    $irmTimes = [System.Collections.Generic.List[double]]::new()
    $sobotTimes = [System.Collections.Generic.List[double]]::new()
    foreach ($i in 1..9) { $irmTimes.Add((Time-Once $irm)); $sobotTimes.Add((Time-Once $sobot)) }
    $tIrm = ($irmTimes | Sort-Object)[4]
    $tSobot = ($sobotTimes | Sort-Object)[4]
    Add-Result '6 cold start' 'fresh pwsh + Invoke-RestMethod, s (median of 9)' ([Math]::Round($tIrm, 2)) '' $null
    Add-Result '6 cold start' 'fresh pwsh + Import-Module + Connect-Sobot + send, s' ([Math]::Round($tSobot, 2)) '' $null
    Add-Result '6 cold start' 'SobotPS / Invoke-RestMethod' ([Math]::Round($tSobot / $tIrm, 2)) '<= 1.3' ($tSobot / $tIrm -le 1.3)
}
}

Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
$date = Get-Date -Format 'yyyy-MM-dd HH:mm'
$md = [System.Text.StringBuilder]::new()
$null = $md.AppendLine('# SobotPS benchmark results').AppendLine()
$null = $md.AppendLine("Measured $date on $([Environment]::ProcessorCount) cores, PowerShell $($PSVersionTable.PSVersion), .NET $([Environment]::Version), against the local emulator; scale $Scale. Produced by ``dotnet pwsh ./build.ps1 -Task Bench``.").AppendLine()
foreach ($line in Format-ResultTable) { $null = $md.AppendLine($line) }
$null = $md.AppendLine().AppendLine('Notes:').AppendLine()
$null = $md.AppendLine('- Scenario 1 runs 2,000 rows with default settings; the loop baseline runs 200 rows. The rate against ThrottleLimit / latency is in the pacing section below (bench/Invoke-PacingBenchmark.ps1, scenario 3).')
$null = $md.AppendLine('- Scenario 3: both sides keep 64 requests in flight and run the full load once untimed first (JIT tiering, connection pools) and share the 2 cores with the emulator, which bounds both; a ratio above 1 says SobotPS is not the bottleneck, not that it is faster than HttpClient.')
$null = $md.AppendLine('- Scenario 4: peak working set of a fresh pwsh that imports, connects and streams the CSV through Send-SobotTemplate (emulator with --no-retain).')
$null = $md.AppendLine('- Scenario 6: medians of 9 alternating runs of a fresh `pwsh -NoProfile -File`; the SobotPS run includes Import-Module, Connect-Sobot (one key check) and the send.')
Set-Content -Path $OutFile -Value $md.ToString()
Write-Host ''
$results | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
Write-Host "Written to $OutFile"
