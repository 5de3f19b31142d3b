<#
.SYNOPSIS
    Pacing and concurrency of bulk sending on the local emulator, printed and appended to bench/results.md:
    1. a 1,000 msg/s limit at 150 and 300 ms of latency; 2. an 80 msg/s limit (429 share counted at the emulator);
    3. no limit at 100 ms: default settings beside a fixed -ThrottleLimit 64, with the peak in flight of each;
    4. two pwsh processes sharing one 50 msg/s limit, started together and 10 s apart (whole-run rate and the rate
       while both ran); 5. client CPU per message of Import-Csv | Send-SobotTemplate against bench/HttpBaseline.
    Every send is Import-Csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId }.
    Run through: dotnet pwsh ./build.ps1 -Task Bench (after Invoke-Benchmark.ps1, which rewrites results.md).
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../out/SobotPS/SobotPS.psd1'),
    [string] $OutFile = (Join-Path $PSScriptRoot 'results.md'),
    # Smaller row counts for a quick look; the targets are stated for the defaults.
    [double] $Scale = 1.0,
    [ValidateRange(1, 5)]
    [int[]] $Scenario = @(1, 2, 3, 4, 5)
)

$ErrorActionPreference = 'Stop'
$command = if ($PSBoundParameters.Count -eq 0) { 'dotnet pwsh ./build.ps1 -Task Bench' } else {
    'dotnet pwsh -NoProfile -File bench/Invoke-PacingBenchmark.ps1 ' + (($PSBoundParameters.GetEnumerator() | ForEach-Object { "-$($_.Key) $(@($_.Value) -join ',')" }) -join ' ')
}
Import-Module (Join-Path $PSScriptRoot '../build/SobotEmulator.psm1') -Force
$ModuleManifest = (Resolve-Path -LiteralPath $ModuleManifest).Path
Import-Module $ModuleManifest -Force
$work = Join-Path ([IO.Path]::GetTempPath()) ("sobot-pacing-bench-" + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory $work
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$secret = ConvertTo-SecureString 'demo-secret-key' -AsPlainText -Force
$results = [System.Collections.Generic.List[object]]::new()
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')


# The emulator's counters: api_requests, rate_limited, in_flight_peak (and messages).
function Get-EmulatorStat($Emulator) { Invoke-RestMethod "$($Emulator.BaseUri)/_emulator/stats" }
function Reset-Emulator($Emulator) { $null = Invoke-RestMethod -Method Post "$($Emulator.BaseUri)/_emulator/reset" }
function Share($Stats) { if ($Stats.api_requests -gt 0) { $Stats.rate_limited / $Stats.api_requests } else { 0 } }

# Runs pwsh on a script with named arguments, its output captured; returns the process and the readers' tasks.
function Start-Pwsh([string] $Script, [hashtable] $Arguments) {
    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $pwshDll, '-NoProfile', '-NonInteractive', '-File', $Script) { $psi.ArgumentList.Add($a) }
    foreach ($k in $Arguments.GetEnumerator()) { $psi.ArgumentList.Add("-$($k.Key)"); $psi.ArgumentList.Add([string]$k.Value) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $p = [Diagnostics.Process]::Start($psi)
    [pscustomobject]@{ Process = $p; Out = $p.StandardOutput.ReadToEndAsync(); Err = $p.StandardError.ReadToEndAsync() }
}

function Wait-Pwsh($Child, [int] $TimeoutSec, [string] $What) {
    if (-not $Child.Process.WaitForExit($TimeoutSec * 1000)) { $Child.Process.Kill($true); throw "$What did not finish within $TimeoutSec s." }
    $Child.Process.WaitForExit()
    if ($Child.Process.ExitCode -ne 0) { throw "$What failed ($($Child.Process.ExitCode)): $($Child.Err.Result) $($Child.Out.Result)" }
    $Child.Out.Result
}

Write-Host "SobotPS pacing benchmark on $([Environment]::ProcessorCount) cores, PowerShell $($PSVersionTable.PSVersion), .NET $([Environment]::Version)"

# 1. A 1,000 msg/s limit at 150 and 300 ms ---------------------------------------------------------------------------
if ($Scenario -contains 1) {
    foreach ($case in @{ Latency = 150; Target = 900 }, @{ Latency = 300; Target = 850 }) {
        Use-Emulator @('--rate-limit', '1000', '--latency-ms', "$($case.Latency)", '--no-retain') {
            param($emu)
            Start-Sleep -Milliseconds 1100   # a full bucket
            Connect-Sobot -AccessKey demo-access-key -SecretKey $secret -BaseUri $emu.BaseUri
            Reset-Emulator $emu   # count the send only, not the key check
            $s = Measure-Send (New-Csv (Rows 6000))
            $st = Get-EmulatorStat $emu
            $name = "1 limit 1000/s, latency $($case.Latency) ms"
            Add-Result $name "defaults, msg/s ($($s.Sent) sent, $($s.Failed) failed)" ([Math]::Round($s.Rate, 1)) ">= $($case.Target)" ($s.Rate -ge $case.Target)
            Add-Result $name '429 share (emulator)' ('{0:P1}' -f (Share $st)) '' $null
            Add-Result $name 'peak in flight (emulator)' $st.in_flight_peak '' $null
            Disconnect-Sobot
        }
    }
}

# 2. An 80 msg/s limit -----------------------------------------------------------------------------------------------
if ($Scenario -contains 2) {
    Use-Emulator @('--rate-limit', '80', '--no-retain') {
        param($emu)
        Start-Sleep -Milliseconds 1100
        Connect-Sobot -AccessKey demo-access-key -SecretKey $secret -BaseUri $emu.BaseUri
        Reset-Emulator $emu
        $s = Measure-Send (New-Csv (Rows 2000))
        $st = Get-EmulatorStat $emu
        $share = Share $st
        Add-Result '2 limit 80/s' "defaults, msg/s ($($s.Sent) sent, $($s.Failed) failed)" ([Math]::Round($s.Rate, 1)) '>= 76' ($s.Rate -ge 76)
        Add-Result '2 limit 80/s' "429 share (emulator: $($st.rate_limited) of $($st.api_requests))" ('{0:P1}' -f $share) '< 5%' ($share -lt 0.05)
        Add-Result '2 limit 80/s' 'failed rows' $s.Failed '0' ($s.Failed -eq 0)
        Add-Result '2 limit 80/s' 'peak in flight (emulator)' $st.in_flight_peak '' $null
        Disconnect-Sobot
    }
}

# 3. No limit, 100 ms: default settings beside a fixed ThrottleLimit 64 -------------------------------------------------
if ($Scenario -contains 3) {
    $latency = 100
    Use-Emulator @('--latency-ms', "$latency", '--no-retain') {
        param($emu)
        $csv = New-Csv (Rows 6000)
        Connect-Sobot -AccessKey demo-access-key -SecretKey $secret -BaseUri $emu.BaseUri
        $name = "3 no limit, latency $latency ms"
        # 64 in flight at 100 ms is 640 msg/s; the target for default settings is 90% of it.
        $ideal = 64 / ($latency / 1000)
        Reset-Emulator $emu
        $d = Measure-Send $csv
        $dst = Get-EmulatorStat $emu
        Reset-Emulator $emu
        $f = Measure-Send $csv @{ ThrottleLimit = 64 }
        $fst = Get-EmulatorStat $emu
        Add-Result $name "defaults, msg/s ($($d.Sent) sent, $($d.Failed) failed)" ([Math]::Round($d.Rate, 1)) ">= $(0.9 * $ideal)" ($d.Rate -ge 0.9 * $ideal)
        Add-Result $name 'defaults, peak in flight (emulator)' $dst.in_flight_peak '' $null
        Add-Result $name "-ThrottleLimit 64, msg/s ($($f.Sent) sent, $($f.Failed) failed)" ([Math]::Round($f.Rate, 1)) '' $null
        Add-Result $name '-ThrottleLimit 64, peak in flight (emulator)' $fst.in_flight_peak '' $null
        Add-Result $name '-ThrottleLimit 64: rate / (64 / latency)' ([Math]::Round($f.Rate / $ideal, 3)) '>= 0.9' ($f.Rate / $ideal -ge 0.9)
        Disconnect-Sobot
    }
}

# 4. Two runs on one 50 msg/s limit ----------------------------------------------------------------------------------
if ($Scenario -contains 4) {
    # Each run: import, connect, say it is ready, wait for its go file, send; then the start, the end and the UTC
    # completion time of every result it got.
    $child = Join-Path $work 'fair-run.ps1'
    @'
param([string] $Module, [string] $Uri, [string] $Csv, [string] $Out, [string] $Ready, [string] $Go)
$ErrorActionPreference = 'Stop'
Import-Module $Module
Connect-Sobot -AccessKey demo-access-key -SecretKey (ConvertTo-SecureString demo-secret-key -AsPlainText -Force) -BaseUri $Uri
$null = New-Item -ItemType File $Ready
while (-not (Test-Path $Go)) { Start-Sleep -Milliseconds 10 }
$start = [DateTime]::UtcNow.Ticks
$errors = $null
$done = Import-Csv $Csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } -ErrorVariable errors -ErrorAction SilentlyContinue | ForEach-Object { [DateTime]::UtcNow.Ticks }
$end = [DateTime]::UtcNow.Ticks
[pscustomobject]@{ Start = $start; End = $end; Failed = @($errors).Count; Done = @($done) } | ConvertTo-Json -Compress | Set-Content $Out
'@ | Set-Content $child
    $n = Rows 1500
    foreach ($case in @{ Name = 'A started together'; Delay = 0 }, @{ Name = 'B started 10 s apart'; Delay = 10 }) {
        Use-Emulator @('--rate-limit', '50', '--no-retain') {
            param($emu)
            Start-Sleep -Milliseconds 1100
            $dir = Join-Path $work ("fair-" + $case.Delay)
            $null = New-Item -ItemType Directory $dir
            $runs = foreach ($i in 1, 2) {
                $childArgs = @{ Module = $ModuleManifest; Uri = $emu.BaseUri; Csv = (New-Csv $n (($i - 1) * 500000)); Out = (Join-Path $dir "run$i.json")
                    Ready = (Join-Path $dir "ready$i"); Go = (Join-Path $dir "go$i") }
                [pscustomobject]@{ Args = $childArgs; Child = (Start-Pwsh $child $childArgs) }
            }
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            while (@($runs | Where-Object { -not (Test-Path $_.Args.Ready) }).Count -gt 0) {
                if ([DateTime]::UtcNow -gt $deadline -or @($runs | Where-Object { $_.Child.Process.HasExited }).Count -gt 0) {
                    $runs | ForEach-Object { if (-not $_.Child.Process.HasExited) { $_.Child.Process.Kill($true) } }
                    throw "Scenario 4: a run did not get ready: $($runs.Child.Err | ForEach-Object { if ($_.IsCompleted) { $_.Result } })"
                }
                Start-Sleep -Milliseconds 20
            }
            Reset-Emulator $emu   # count the two sends only, not the key checks of Connect-Sobot
            $null = New-Item -ItemType File $runs[0].Args.Go
            if ($case.Delay -gt 0) { Start-Sleep -Seconds $case.Delay }
            $null = New-Item -ItemType File $runs[1].Args.Go
            $r = foreach ($i in 0, 1) {
                $null = Wait-Pwsh $runs[$i].Child 600 "Scenario 4 run $($i + 1)"
                $j = Get-Content $runs[$i].Args.Out -Raw | ConvertFrom-Json
                $done = [long[]]@($j.Done)
                [pscustomobject]@{ Start = [long]$j.Start; End = [long]$j.End; Failed = $j.Failed; Done = $done
                    Last = if ($done.Count) { ($done | Measure-Object -Maximum).Maximum } else { [long]$j.End } }
            }
            $st = Get-EmulatorStat $emu
            # The shared window: from the later run's start to the last result of the run that finished first.
            $from = [Math]::Max($r[0].Start, $r[1].Start)
            $to = [Math]::Min($r[0].Last, $r[1].Last)
            $window = ($to - $from) / 1e7
            $name = "4 two runs, 50/s, $($case.Name)"
            foreach ($i in 0, 1) {
                $whole = $r[$i].Done.Count / (($r[$i].End - $r[$i].Start) / 1e7)
                Add-Result $name "run $($i + 1): whole run, msg/s ($($r[$i].Done.Count) sent, $($r[$i].Failed) failed, $([Math]::Round(($r[$i].End - $r[$i].Start) / 1e7, 1)) s)" ([Math]::Round($whole, 1)) '>= 20' ($whole -ge 20)
            }
            foreach ($i in 0, 1) {
                if ($window -ge 1) {
                    $inside = @($r[$i].Done | Where-Object { $_ -ge $from -and $_ -le $to }).Count / $window
                    Add-Result $name "run $($i + 1): while both ran ($([Math]::Round($window, 1)) s), msg/s" ([Math]::Round($inside, 1)) '>= 20' ($inside -ge 20)
                }
                else { Add-Result $name "run $($i + 1): while both ran (they did not overlap)" 'n/a' '>= 20' $false }
            }
            Add-Result $name "429 share (emulator: $($st.rate_limited) of $($st.api_requests))" ('{0:P1}' -f (Share $st)) '' $null
        }
    }
}

# 5. Client CPU per message ------------------------------------------------------------------------------------------
if ($Scenario -contains 5) {
    $n = Rows 20000
    $csv = New-Csv $n
    $baselineDir = Join-Path $PSScriptRoot 'HttpBaseline'
    & dotnet build $baselineDir -c Release --nologo -v quiet -o (Join-Path $work 'baseline') | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'The HttpClient baseline did not build.' }
    # A fresh pwsh: import, connect, one untimed pass, then the process's CPU around each timed pass (all its threads).
    $cpuScript = Join-Path $work 'cpu-run.ps1'
    @'
param([string] $Module, [string] $Uri, [string] $Csv)
$ErrorActionPreference = 'Stop'
Import-Module $Module
Connect-Sobot -AccessKey demo-access-key -SecretKey (ConvertTo-SecureString demo-secret-key -AsPlainText -Force) -BaseUri $Uri
$self = [Diagnostics.Process]::GetCurrentProcess()
function Get-Cpu { $self.Refresh(); [pscustomobject]@{ User = $self.UserProcessorTime; System = $self.PrivilegedProcessorTime; Watch = [Diagnostics.Stopwatch]::StartNew() } }
function Get-Pass($From, $Run, $Failed) {
    $seconds = $From.Watch.Elapsed.TotalSeconds
    $self.Refresh()
    [pscustomobject]@{ Sent = $Run.Sent; Failed = @($Failed).Count; Seconds = $seconds
        User = ($self.UserProcessorTime - $From.User).TotalSeconds; System = ($self.PrivilegedProcessorTime - $From.System).TotalSeconds }
}
$rows = Import-Csv $Csv
# Two untimed passes (one of each form: JIT tiering, connection pool), then three timed passes of each form,
# alternating, so a slower moment of the shared machine weighs on both; the median of each is reported.
$null = Import-Csv $Csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId }
$null = $rows | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId }
$csvPasses = @(); $arrayPasses = @()
foreach ($i in 1..3) {
    $err = $null
    $from = Get-Cpu
    $null = Import-Csv $Csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } -SummaryVariable run -ErrorVariable err
    $csvPasses += Get-Pass $from $run $err
    $from = Get-Cpu
    $null = $rows | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } -SummaryVariable run -ErrorVariable err
    $arrayPasses += Get-Pass $from $run $err
}
function Get-Median($Passes) { @($Passes | Sort-Object { ($_.User + $_.System) / [Math]::Max(1, $_.Sent) })[1] }
$csvPass = Get-Median $csvPasses
$arrayPass = Get-Median $arrayPasses
@{ Csv = $csvPass; Array = $arrayPass } | ConvertTo-Json -Compress
'@ | Set-Content $cpuScript
    Use-Emulator @('--no-retain') {
        param($emu)
        # The same count at 64 concurrent (a fixed figure: the HttpClient loop has no adaptive concurrency), after an
        # untimed pass of the same size.
        # Three runs; the median CPU per message.
        $bases = foreach ($i in 1..3) {
            $fields = (& dotnet (Join-Path $work 'baseline/HttpBaseline.dll') $emu.BaseUri $n 64 $n) -split ' '
            if ($LASTEXITCODE -ne 0) { throw 'The HttpClient baseline failed.' }
            [pscustomobject]@{ Sent = [double]$fields[0]; Seconds = [double]$fields[2]; Cpu = [double]$fields[3]; User = [double]$fields[4]; System = [double]$fields[5] }
        }
        $base = @($bases | Sort-Object { $_.Cpu / [Math]::Max(1, $_.Sent) })[1]
        $out = Wait-Pwsh (Start-Pwsh $cpuScript @{ Module = $ModuleManifest; Uri = $emu.BaseUri; Csv = $csv }) 600 'Scenario 5'
        $m = ($out -split "`n" | Where-Object { $_.Trim() } | Select-Object -Last 1) | ConvertFrom-Json
        $name = "5 client CPU, latency 0, $n rows"
        function Us([double] $Seconds, [double] $Sent) { [Math]::Round($Seconds / $Sent * 1e6, 1) }
        $baseUs = Us $base.Cpu $base.Sent
        Add-Result $name "bare C# HttpClient, 64 concurrent: CPU us/msg ($([Math]::Round($base.Sent / $base.Seconds)) msg/s)" "$baseUs (user $(Us $base.User $base.Sent) + sys $(Us $base.System $base.Sent))" '' $null
        $ratios = foreach ($pass in @{ Name = 'Import-Csv | Send-SobotTemplate'; M = $m.Csv }, @{ Name = '$rows | Send-SobotTemplate (rows pre-loaded)'; M = $m.Array }) {
            $p = $pass.M
            $us = Us ($p.User + $p.System) $p.Sent
            Add-Result $name "$($pass.Name): CPU us/msg ($([Math]::Round($p.Sent / $p.Seconds)) msg/s, $($p.Failed) failed)" "$us (user $(Us $p.User $p.Sent) + sys $(Us $p.System $p.Sent))" '' $null
            $us / $baseUs
        }
        # Like for like: the HttpClient loop builds its requests from memory, as the pre-loaded form does; the Import-Csv
        # form adds PowerShell's own CSV parsing (shown, not the target).
        Add-Result $name '$rows | Send-SobotTemplate / HttpClient, CPU per message' ([Math]::Round($ratios[1], 2)) '<= 2' ($ratios[1] -le 2)
        Add-Result $name 'Import-Csv | Send-SobotTemplate / HttpClient, CPU per message (Import-Csv included)' ([Math]::Round($ratios[0], 2)) '' $null
    }
}

Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
$md = [System.Text.StringBuilder]::new()
$null = $md.AppendLine().AppendLine("## Pacing and concurrency ($(Get-Date -Format 'yyyy-MM-dd'), $([Environment]::ProcessorCount) cores)").AppendLine()
$null = $md.AppendLine("Measured $(Get-Date -Format 'yyyy-MM-dd HH:mm') on $([Environment]::ProcessorCount) cores, PowerShell $($PSVersionTable.PSVersion), .NET $([Environment]::Version), against the local emulator (``--no-retain``); scale $Scale. Produced by ``$command``.").AppendLine()
foreach ($line in Format-ResultTable) { $null = $md.AppendLine($line) }
$null = $md.AppendLine().AppendLine('Notes:').AppendLine()
$null = $md.AppendLine('- Every send is `Import-Csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId }`, default settings unless the row says otherwise; msg/s = rows sent / elapsed. Each scenario has its own emulator; the 429 share is `rate_limited / api_requests` and the peak in flight `in_flight_peak`, both from `GET /_emulator/stats` (latency delay included).')
$null = $md.AppendLine('- Row counts are for scale 1 (the measures name the counts sent). Scenario 3: the same 6,000 rows twice on one emulator (counters reset between): default settings, then `-ThrottleLimit 64` (the ideal for 64 in flight at 100 ms is 640 msg/s).')
$null = $md.AppendLine('- Scenario 4: two fresh pwsh processes, same keys, one emulator, 1,500 rows each to different numbers; each waits, imported and connected, for its go signal. "While both ran" counts each run''s results from the later run''s start to the last result of the run that finished first.')
$null = $md.AppendLine('- Scenario 5: user + system CPU of the client process over a timed pass only (the median of three of each form, alternating, after an untimed pass of each; the HttpClient loop''s median of three runs, each after an untimed pass); the HttpClient loop (bench/HttpBaseline) sends the same requests at 64 concurrent. The pre-loaded form times only the send, so the module''s own cost shows apart from Import-Csv. Both clients share the 2 cores with the emulator.')
Add-Content -Path $OutFile -Value $md.ToString()
Write-Host ''
$results | Format-Table -AutoSize | Out-String -Width 220 | Write-Host
Write-Host "Appended to $OutFile"
