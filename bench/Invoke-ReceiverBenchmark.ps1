<#
.SYNOPSIS
    The receiver scenarios of the benchmark, printed and appended to bench/results.md:
    7. ingest, 32 posters, 100,000 status events, durable before 200 (events/s, p99 ack) beside a bare
       Kestrel endpoint that only answers 200; 9. the receiver's working set after 1,000,000 events
       (both by bench/ReceiverBench); 10. two receivers on one PostgreSQL database (ReceiverBench --postgres); 8. wait latency: 200 trials of post-a-reply -> Wait-SobotReply returns;
    12. waits while listening: a store of 200,000 inbound messages takes webhooks without and with ten reply waits in
       flight (ingest rate and p99 acknowledgement of both, each wait's answer latency p95), on SQLite and on
       PostgreSQL (by bench/ReceiverBench, in both of its runs);
    11. Get-SobotJournal -Summary on 200,000 rows joined with 600,000 status events.
    Run through: dotnet pwsh ./build.ps1 -Task Bench
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../out/SobotPS/SobotPS.psd1'),
    [string] $OutFile = (Join-Path $PSScriptRoot 'results.md'),
    [int] $Trials = 200,
    # Scenario 11: journal rows joined with three status events each.
    [int] $JoinRows = 200000,
    [switch] $SkipIngest
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../build/SobotEmulator.psm1') -Force
Import-Module $ModuleManifest -Force
$lines = [System.Collections.Generic.List[string]]::new()

if (-not $SkipIngest) {
    Write-Host 'Scenarios 12, 7 and 9: bench/ReceiverBench (waits while listening, ingest and memory)'
    $output = & dotnet run -c Release --project (Join-Path $PSScriptRoot 'ReceiverBench') 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ReceiverBench failed: $output" }
    $output | ForEach-Object { Write-Host $_; $lines.Add("    $_") }
    Write-Host 'Scenarios 10 and 12: bench/ReceiverBench --postgres (two receivers on one PostgreSQL database, beside SQLite; waits while listening)'
    $output = & dotnet run -c Release --project (Join-Path $PSScriptRoot 'ReceiverBench') -- --postgres --events 50000 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ReceiverBench --postgres failed: $output" }
    $output | ForEach-Object { Write-Host $_; $lines.Add("    $_") }
}

Write-Host "Scenario 8: wait latency, $Trials trials"
$work = Join-Path ([IO.Path]::GetTempPath()) ("sobot-wait-bench-" + [guid]::NewGuid().ToString('N'))
$receiver = Start-SobotReceiver -Path (Join-Path $work 'events.db')
$emulator = Start-SobotEmulator -Knob @{ WebhookUrl = ($receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText); NoWindow = $true }
try {
    Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-SecureString $emulator.SecretKey -AsPlainText -Force) -BaseUri $emulator.BaseUri -Receiver $receiver
    $latencies = [System.Collections.Generic.List[double]]::new()
    $poster = [powershell]::Create()
    for ($i = 0; $i -lt $Trials; $i++) {
        $q = Send-SobotTextMessage -CustomerNumber ('91997{0:0000000}' -f $i) -Message "Question $i" -SkipWindowCheck
        # The reply is posted from another thread once the wait has begun; it records when it posted.
        $null = $poster.Commands.Clear()
        $null = $poster.AddScript({
                param($Uri, $Id)
                Start-Sleep -Milliseconds 150
                $at = [DateTime]::UtcNow
                $null = Invoke-RestMethod -Method Post -Uri "$Uri/_emulator/reply" -ContentType application/json -Body (@{ messageId = $Id; text = 'yes' } | ConvertTo-Json -Compress)
                $at
            }).AddArgument($emulator.BaseUri).AddArgument($q.MessageId)
        $handle = $poster.BeginInvoke()
        $null = $q | Wait-SobotReply -TimeoutSec 30
        $returned = [DateTime]::UtcNow
        $posted = $poster.EndInvoke($handle)[0]
        $latencies.Add(($returned - $posted).TotalMilliseconds)
    }
    $poster.Dispose()
    $sorted = $latencies | Sort-Object
    $p50 = $sorted[[int][Math]::Floor(0.50 * ($sorted.Count - 1))]
    $p95 = $sorted[[int][Math]::Floor(0.95 * ($sorted.Count - 1))]
    $max = $sorted[-1]
    $met = if ($p95 -lt 250) { 'yes' } else { 'NO' }
    $line = '8. Wait latency ({0} trials, post-a-reply -> Wait-SobotReply returns; target p95 < 250 ms): p50 {1:0} ms, p95 {2:0} ms, max {3:0} ms. Met: {4}' -f $Trials, $p50, $p95, $max, $met
    Write-Host $line
    $lines.Add($line)
}
finally {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
    $receiver | Stop-SobotReceiver
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

Write-Host "Scenario 11: Get-SobotJournal joined with the receiver, $JoinRows rows and $($JoinRows * 3) status events"
$work = Join-Path ([IO.Path]::GetTempPath()) ("sobot-join-bench-" + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory $work
$receiver = Start-SobotReceiver -Path (Join-Path $work 'events.db')
$emulator = Start-SobotEmulator
try {
    $webhook = $receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText
    # The journal a campaign of that size leaves (one sent record per row), written directly.
    $journal = Join-Path $work 'big.journal'
    $w = [IO.StreamWriter]::new($journal)
    $w.WriteLine('{"journal":"SobotPS","version":1}')
    $t = [DateTimeOffset]::UtcNow.AddHours(-2).ToUnixTimeMilliseconds()
    for ($i = 0; $i -lt $JoinRows; $i++) { $w.WriteLine(('{{"k":"b{0}#1","s":"S","n":"91{0:0000000000}","id":"wamid.bench{0}","t":{1}}}' -f $i, $t)) }
    $w.Dispose()
    # sent, delivered and read for each, posted as Sobot would (arrays of statuses), 1,000 to a post.
    $http = [System.Net.Http.HttpClient]::new()
    $ts = [DateTimeOffset]::UtcNow.AddHours(-1).ToUnixTimeSeconds()
    foreach ($status in 'sent', 'delivered', 'read') {
        for ($start = 0; $start -lt $JoinRows; $start += 1000) {
            $sb = [Text.StringBuilder]::new('[')
            for ($i = $start; $i -lt [Math]::Min($JoinRows, $start + 1000); $i++) {
                if ($i -gt $start) { $null = $sb.Append(',') }
                $null = $sb.Append('{"id":"wamid.bench').Append($i).Append('","status":"').Append($status).Append('","timestamp":"').Append($ts).Append('"}')
            }
            $null = $sb.Append(']')
            $response = $http.PostAsync($webhook, [System.Net.Http.StringContent]::new($sb.ToString(), [Text.Encoding]::UTF8, 'application/json')).GetAwaiter().GetResult()
            if (-not $response.IsSuccessStatusCode) { throw "The receiver answered $([int]$response.StatusCode)." }
        }
    }
    Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-SecureString $emulator.SecretKey -AsPlainText -Force) -BaseUri $emulator.BaseUri -Receiver $receiver
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $summary = Get-SobotJournal $journal -Summary
    $seconds = $clock.Elapsed.TotalSeconds
    $met = if ($seconds -lt 10 -and $summary.Read -eq $JoinRows) { 'yes' } else { 'NO' }
    $line = '11. Get-SobotJournal -Summary joined with the receiver ({0} rows, {1} status events; target < 10 s): {2:0.0} s; Read {3} of {0}. Met: {4}' -f $JoinRows, ($JoinRows * 3), $seconds, $summary.Read, $met
    Write-Host $line
    $lines.Add($line)
}
finally {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
    $receiver | Stop-SobotReceiver
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

$section = @('', "## Receiver ($(Get-Date -Format 'yyyy-MM-dd'), $([Environment]::ProcessorCount) cores)", '') + $lines
Add-Content -Path $OutFile -Value $section
