#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and demonstrates SobotPS.
.DESCRIPTION
    Build : compiles, then stages the module at out/SobotPS (manifest, the DLLs src/SobotPS/ShippedAssemblies.txt
            lists, format file) and the emulator at out/emulator.
    Test  : Build, then the solution's test projects but the net472 one (each project compiled once), then runs the legs
            side by side (at most -Jobs at a time), each a process of its own with its output printed whole, in a fixed
            order, once it ends: each tests/*.Tests xunit project (dotnet test --no-build), the .NET Framework legs (a
            net472 compile check, the build of the net472 tests, then those tests under Mono when mono is installed, else
            reported as not run) and the Pester files
            shared out between two fresh pwsh processes that import out/SobotPS; then checks that the run left the git
            working tree as it found it (one more test); ends with the line "N passed, N failed". A leg still running
            after -LegTimeoutMinutes is killed and is one failure; so is a leg that exits non-zero with no failed test.
    Soak  : the receiver's kill tests at full size (SOBOT_SOAK=1, the tests with [Trait("Category", "Soak")]);
            ends with the line "N passed, N failed".
    Demo  : Build, then sends examples/customers.csv as template messages to a local emulator.
    Package: Build, then publishes out/SobotPS as a .nupkg to the file repository out/repository
            (Register-PSResourceRepository -Uri <that folder>, then Install-PSResource SobotPS).
    Bench : Build, then each bench/Invoke-*.ps1 in turn (Invoke-Benchmark.ps1: SobotPS against Invoke-RestMethod loops,
            writes bench/results.md; Invoke-PacingBenchmark.ps1: rate limits, concurrency, two runs on one limit and
            client CPU; Invoke-ReceiverBenchmark.ps1: the receiver's figures).
    Clean : removes out/ and the bin/obj folders.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Soak', 'Demo', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    # Test: how many legs run at once (1: one after another, Pester in one process).
    [ValidateRange(1, 16)]
    [int] $Jobs = 4,
    # Test: a leg still running after this many minutes is killed (its whole process tree) and counted as one failure.
    [ValidateRange(1, 1440)]
    [int] $LegTimeoutMinutes = 30
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'SobotPS'
$emulatorOut = Join-Path $out 'emulator'
$testResults = Join-Path $out 'test-results'
# Every failure the test run counts, named, listed again at its very end (Write-Failure, and the failed tests' names).
$failedTests = [System.Collections.Generic.List[string]]::new()

# A failure counted without a test of its own to name (a leg that hung, crashed or wrote no results): shown now, and
# listed with the failed tests at the end of the run.
function Write-Failure([string] $Text) {
    Write-Host $Text -ForegroundColor Red
    $failedTests.Add($Text)
}

# The text at a path of child elements of an XML node (a test result's message), or '' where an element is missing
# (strict mode throws on a missing one).
function Get-XmlText($Node, [string[]] $Path) {
    foreach ($name in $Path) {
        if ($null -eq $Node) { return '' }
        $Node = $Node.ChildNodes | Where-Object LocalName -eq $name | Select-Object -First 1
    }
    if ($null -eq $Node) { '' } else { $Node.InnerText }
}
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

# What ships in out/SobotPS: the one list, src/SobotPS/ShippedAssemblies.txt (SobotPS.dll embeds it for its loader).
# Anything missing fails the build; anything else is left out.
. (Join-Path $root 'build/ShippedAssemblies.ps1')
$shippedAssemblies = @(Get-ShippedAssembly)
if ($shippedAssemblies.Count -eq 0) { throw 'src/SobotPS/ShippedAssemblies.txt lists no DLL.' }

function Invoke-Native {
    param([string] $Command, [string[]] $Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-ProjectVersion {
    $props = [xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))
    $node = $props.Project.PropertyGroup | ForEach-Object { $_.SobotPSVersion } | Where-Object { $_ } | Select-Object -First 1
    if (-not $node) { throw 'Directory.Build.props has no SobotPSVersion.' }
    $node
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'src/SobotPS/SobotPS.csproj'), '-c', $Configuration, '--nologo', '-v', 'minimal')
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/Sobot.Emulator/Sobot.Emulator.csproj'), '-c', $Configuration, '--nologo', '-v', 'minimal', '-o', $emulatorOut)

    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $moduleOut
    $bin = Join-Path $root "src/SobotPS/bin/$Configuration/netstandard2.0"
    foreach ($name in $shippedAssemblies) {
        $file = Join-Path $bin $name
        if (-not (Test-Path $file)) { throw "The build did not produce $name (expected in $bin)." }
        Copy-Item $file $moduleOut
    }
    Copy-Item (Join-Path $root 'SobotPS.Format.ps1xml') $moduleOut

    # The webhook receiver: a process of its own (never loaded into PowerShell), shipped in the module's
    # receiver/ folder so Start-SobotReceiver finds it; out/receiver is the same build for running it as a service.
    $receiverOut = Join-Path $out 'receiver'
    if (Test-Path $receiverOut) { Remove-Item $receiverOut -Recurse -Force }
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/Sobot.Receiver/Sobot.Receiver.csproj'), '-c', $Configuration, '--nologo', '-v', 'minimal', '-o', $receiverOut)
    Copy-Item $receiverOut (Join-Path $moduleOut 'receiver') -Recurse

    $version = Get-ProjectVersion
    $manifest = Get-Content -Raw (Join-Path $root 'SobotPS.psd1')
    $manifest = $manifest -replace "(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'", "`${1}'$version'"
    Set-Content -Path (Join-Path $moduleOut 'SobotPS.psd1') -Value $manifest -Encoding utf8NoBOM
    $null = Test-ModuleManifest -Path (Join-Path $moduleOut 'SobotPS.psd1')

    # Help: compiled from docs/en-US in a separate pwsh (it imports the staged module); fails on any gap.
    & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $root 'build/HelpCompiler.ps1') `
        -ModuleManifest (Join-Path $moduleOut 'SobotPS.psd1') -DocsPath (Join-Path $root 'docs/en-US') -OutPath (Join-Path $moduleOut 'en-US')
    if ($LASTEXITCODE -ne 0) { throw 'The help build failed: see the lines above.' }
    Write-Host "Built SobotPS $version at $moduleOut"
}

function Get-PesterModulePath {
    $toolsProject = Join-Path $root 'build/tools/BuildTools.csproj'
    Invoke-Native dotnet @('restore', $toolsProject, '--nologo', '-v', 'quiet')
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $pester = Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 5.7.1 was not restored to $pester." }
    $pester
}

# The xunit test projects: every tests/<Name>.Tests folder with its <Name>.Tests.csproj, except the .NET Framework one
# (net472, run under Mono by its own leg). A new test project is run without an edit here.
function Get-TestProject {
    @(Get-ChildItem (Join-Path $root 'tests') -Directory -Filter '*.Tests' |
            Where-Object { $_.Name -ne 'Sobot.Client.NetFx.Tests' } |
            ForEach-Object { Join-Path $_.FullName "$($_.Name).csproj" } |
            Where-Object { Test-Path $_ } | Sort-Object)
}

# Test's one build: what -Task Build does (the module staged at out/SobotPS, the emulator, the receiver), then the
# solution in one MSBuild run, which finds src built and compiles the test projects, and any test project the solution
# does not list. The legs then run what was built (dotnet test --no-build). Not the net472 test project: it is built in
# its own leg (a .NET-only API in a linked file, or anything else that breaks that build, is then one failed leg while
# the rest of the suite runs), as is the net472 compile check of the cmdlets.
$netFxTestProject = 'Sobot.Client.NetFx.Tests'
function Invoke-TestBuild {
    Invoke-Build
    $solution = Join-Path $root 'SobotPS.sln'
    # A solution filter (out/, not the checkout's tracked files): every project the solution lists but the net472 tests.
    $null = New-Item -ItemType Directory -Force $out
    $projects = @(& dotnet sln $solution list | Where-Object { $_ -like '*.csproj' } | ForEach-Object { $_.Trim() -replace '/', '\' } |
            Where-Object { [IO.Path]::GetFileNameWithoutExtension(($_ -replace '\\', '/')) -ne $netFxTestProject })
    $filter = Join-Path $out 'SobotPS.Tests.slnf'
    @{ solution = @{ path = [IO.Path]::GetRelativePath($out, $solution); projects = $projects } } | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $filter
    Invoke-Native dotnet @('build', $filter, '-c', $Configuration, '--nologo', '-v', 'minimal')
    $listed = @(& dotnet sln $solution list | Where-Object { $_ -like '*.csproj' } |
            ForEach-Object { [IO.Path]::GetFullPath((Join-Path $root ($_.Trim() -replace '\\', '/'))) })
    foreach ($project in Get-TestProject) {
        if ($listed -notcontains $project) {
            Write-Host "Not in SobotPS.sln, built on its own: $project"
            Invoke-Native dotnet @('build', $project, '-c', $Configuration, '--nologo', '-v', 'minimal')
        }
    }
}

# The order the Pester files are handed out in: the longest first (as the last run on this checkout timed them, else the
# largest file first), so that the two processes end close together.
function Get-PesterFileOrder([string] $TimesFile) {
    $times = @{}
    if (Test-Path $TimesFile) {
        try { (Get-Content -Raw $TimesFile | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $times[$_.Name] = [double]$_.Value } }
        catch { $times = @{} }
    }
    @(Get-ChildItem (Join-Path $root 'tests/SobotPS.Tests') -Filter '*.Tests.ps1' |
            Sort-Object -Descending -Property @{ Expression = { if ($times.ContainsKey($_.Name)) { $times[$_.Name] } else { -1 } } }, Length |
            ForEach-Object FullName)
}

# One Pester process: imports Pester in a fresh pwsh (the tests see only what out/SobotPS ships, not anything this
# session loaded), then takes the next file nobody has taken (a claim is a file created in -Claims, which only one
# process can create) until none is left, and writes its counts and each file's time to -Summary.
$pesterWorker = @'
param([string] $Pester, [string] $FileList, [string] $Claims, [string] $Summary)
$ErrorActionPreference = 'Stop'
Import-Module $Pester -RequiredVersion 5.7.1
$passed = 0; $failed = 0; $skipped = 0; $notRun = @(); $failures = @(); $times = [ordered]@{}
foreach ($file in Get-Content -LiteralPath $FileList) {
    $name = [IO.Path]::GetFileName($file)
    try { [IO.File]::Open((Join-Path $Claims $name), [IO.FileMode]::CreateNew).Dispose() }
    catch [IO.IOException] { continue }
    $c = New-PesterConfiguration
    $c.Run.Path = $file
    $c.Run.PassThru = $true
    $c.Output.Verbosity = 'Normal'
    $r = Invoke-Pester -Configuration $c
    # Only tests that need something a machine may lack (Chromium, root for a second local user) may skip
    # themselves, tagged so: they are reported as not run with their reason, never counted as passed.
    $allowed = @($r.Skipped | Where-Object { $_.Tag -contains 'Browser' -or $_.Tag -contains 'SecondUser' })
    $notRun += @($allowed | ForEach-Object { '{0}: {1}' -f $_.ExpandedPath, ((@($_.ErrorRecord) | Select-Object -First 1).Exception.Message) })
    $passed += $r.PassedCount
    $failed += $r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount
    $failures += @(@($r.Failed) + @($r.FailedBlocks) + @($r.FailedContainers) | Where-Object { $_ } | ForEach-Object {
            $what = if ($_.ExpandedPath) { $_.ExpandedPath } elseif ($_.Item) { [string]$_.Item } else { $name }
            '{0} ({1}): {2}' -f $what, $name, ((@($_.ErrorRecord) | Select-Object -First 1).Exception.Message) })
    $skipped += $r.SkippedCount + $r.NotRunCount - $allowed.Count
    $times[$name] = [math]::Round($r.Duration.TotalSeconds, 1)
}
@{ Passed = $passed; Failed = $failed; Skipped = $skipped; NotRun = $notRun; Failures = $failures; Times = $times } | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $Summary
'@

# A leg of the test run is one process (an xunit project, the net472 compile check, the Mono run, a Pester process):
# started with its output captured to out/test-results/<name>.log (its standard error to <name>.stderr.log), and
# printed whole once it has ended, so that legs running side by side never interleave their lines.
function New-TestLeg {
    param([string] $Name, [string] $Kind, [string] $FilePath, [string[]] $Arguments, [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $root, [object] $Data, [object] $After)
    # After: a leg that must have ended with exit code 0 before this one starts (else this one is not started).
    [pscustomobject]@{
        Name = $Name; Kind = $Kind; FilePath = $FilePath; Arguments = $Arguments; Environment = $Environment
        WorkingDirectory = $WorkingDirectory; Data = $Data; After = $After; Process = $null; Clock = $null; Files = @(); Copies = @()
        Seconds = $null; ExitCode = $null; Done = $false; TimedOut = $false; NotStarted = $false
    }
}

function Start-TestLeg($Leg) {
    $psi = [Diagnostics.ProcessStartInfo]::new($Leg.FilePath)
    foreach ($a in $Leg.Arguments) { $psi.ArgumentList.Add([string]$a) }
    foreach ($k in $Leg.Environment.Keys) { $psi.Environment[$k] = [string]$Leg.Environment[$k] }
    $psi.WorkingDirectory = $Leg.WorkingDirectory
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $Leg.Clock = [Diagnostics.Stopwatch]::StartNew()
    $Leg.Process = [Diagnostics.Process]::Start($psi)
    # Unbuffered, readable while written: a leg that hangs can be watched in its log.
    $Leg.Files = @(foreach ($log in "$($Leg.Name).log", "$($Leg.Name).stderr.log") {
            [IO.FileStream]::new((Join-Path $testResults $log), [IO.FileMode]::Create, [IO.FileAccess]::Write, [IO.FileShare]::Read, 1)
        })
    $Leg.Copies = @($Leg.Process.StandardOutput.BaseStream.CopyToAsync($Leg.Files[0]), $Leg.Process.StandardError.BaseStream.CopyToAsync($Leg.Files[1]))
}

function Complete-TestLeg($Leg) {
    if ($Leg.NotStarted) {
        $Leg.Done = $true
        Write-Host ''
        Write-Host "----- $($Leg.Name): not started, $($Leg.After.Name) failed -----"
        return
    }
    $Leg.Process.WaitForExit()
    # From its start to its exit, as the run saw it end (it may be printed well after, behind the legs printed before it).
    if ($null -eq $Leg.Seconds) { $Leg.Seconds = [int]$Leg.Clock.Elapsed.TotalSeconds }
    $Leg.ExitCode = $Leg.Process.ExitCode
    # A process the leg left behind may hold its output open: the leg's own output is complete once it has exited,
    # so waiting for the end of the streams is bounded.
    try { $null = [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]$Leg.Copies, 5000) } catch { Write-Verbose "Output of $($Leg.Name): $_" }
    foreach ($f in $Leg.Files) { $f.Dispose() }
    $Leg.Done = $true
    Write-Host ''
    Write-Host "----- $($Leg.Name): exit code $($Leg.ExitCode), $($Leg.Seconds) s -----"
    foreach ($log in (Join-Path $testResults "$($Leg.Name).log"), (Join-Path $testResults "$($Leg.Name).stderr.log")) {
        $text = [IO.File]::ReadAllText($log)
        if ($text.Length -gt 0) { Write-Host $text.TrimEnd() }
    }
    if ($Leg.TimedOut) {
        Write-Host "----- $($Leg.Name): TIMED OUT, still running after $LegTimeoutMinutes min (-LegTimeoutMinutes): killed; its output so far is above -----" -ForegroundColor Red
    }
}

# A leg that ended without results of its own to blame: killed at the deadline, or never started.
function Test-LegStopped($Leg, [string] $Label) {
    if ($Leg.TimedOut) {
        Write-Failure "${Label}: FAILED, $($Leg.Name) timed out after $LegTimeoutMinutes min and was killed"
        return $true
    }
    if ($Leg.NotStarted) {
        Write-Failure "${Label}: FAILED, $($Leg.Name) was not started: $($Leg.After.Name) failed (exit code $($Leg.After.ExitCode)), see it above"
        return $true
    }
    $false
}

# A leg whose process failed while its results show no failed test: a crash or an abort after some tests (VSTest's .trx
# and the runners' counts hold only the tests that finished) is one failure, never a pass.
function Test-LegExitHole($Leg, [string] $Label, [int] $Failed) {
    if ($Leg.ExitCode -ne 0 -and $Failed -eq 0) {
        Write-Failure "${Label}: FAILED, exit code $($Leg.ExitCode) with no failed test (the run was aborted?)"
        return $true
    }
    $false
}

# Runs the legs, at most $Jobs at a time, started in the order given and printed in $PrintOrder.
function Invoke-TestLeg([object[]] $Legs, [object[]] $PrintOrder, [int] $Jobs) {
    $waiting = [Collections.Generic.List[object]]::new([object[]]$Legs)
    $running = [Collections.Generic.List[object]]::new()
    $deadline = [TimeSpan]::FromMinutes($LegTimeoutMinutes)
    $next = 0
    try {
        while ($next -lt $PrintOrder.Count) {
            for ($i = $running.Count - 1; $i -ge 0; $i--) {
                $r = $running[$i]
                if (-not $r.Process.HasExited -and $r.Clock.Elapsed -gt $deadline) {
                    # Hung: the whole tree (dotnet test's testhost, the emulator a test started, ...), so nothing holds
                    # its output open.
                    $r.TimedOut = $true
                    try { $r.Process.Kill($true) } catch { Write-Verbose "$($r.Name): $_" }
                    $null = $r.Process.WaitForExit(30000)
                }
                if ($r.Process.HasExited) {
                    $r.Seconds = [int]$r.Clock.Elapsed.TotalSeconds
                    $running.RemoveAt($i)
                }
            }
            # The first waiting leg that may start: one whose After leg has not ended yet waits; one whose After leg
            # failed is never started.
            $i = 0
            while ($running.Count -lt $Jobs -and $i -lt $waiting.Count) {
                $leg = $waiting[$i]
                $after = $leg.After
                if ($null -ne $after -and ($null -eq $after.Process -or -not $after.Process.HasExited)) { $i++; continue }
                $waiting.RemoveAt($i)
                if ($null -ne $after -and ($after.TimedOut -or $after.Process.ExitCode -ne 0)) { $leg.NotStarted = $true; continue }
                Start-TestLeg $leg
                $running.Add($leg)
            }
            while ($next -lt $PrintOrder.Count -and ($PrintOrder[$next].NotStarted -or ($null -ne $PrintOrder[$next].Process -and $PrintOrder[$next].Process.HasExited))) {
                Complete-TestLeg $PrintOrder[$next]
                $next++
            }
            if ($next -lt $PrintOrder.Count) { Start-Sleep -Milliseconds 250 }
        }
    }
    finally {
        # Interrupted or failed here: no leg is left running.
        foreach ($leg in $Legs) {
            if ($null -ne $leg.Process -and -not $leg.Process.HasExited) {
                try { $leg.Process.Kill($true) } catch { Write-Verbose "$($leg.Name): $_" }
            }
        }
    }
}

# What an xunit leg reported (its .trx); a leg without results is one failure.
function Get-XunitLegResult($Leg) {
    if (Test-LegStopped $Leg $Leg.Data) { return [pscustomobject]@{ Passed = 0; Failed = 1 } }
    $trx = Join-Path $testResults "$($Leg.Data).trx"
    if (-not (Test-Path $trx)) {
        Write-Failure "$($Leg.Data): FAILED, no test results (exit code $($Leg.ExitCode))"
        return [pscustomobject]@{ Passed = 0; Failed = 1 }
    }
    # Read once; the counts, the tests not run and the failed tests all come from it.
    $results = [xml](Get-Content -Raw $trx)
    $summary = $results.TestRun.ResultSummary
    $counters = $summary.Counters
    # A test skips itself only when this machine lacks what it needs (root for a second local user,
    # systemd-analyze): reported as not run with its reason, never counted as passed.
    $ns = @{ t = 'http://microsoft.com/schemas/VisualStudio/TeamTest/2010' }
    foreach ($r in Select-Xml -Xml $results -Namespace $ns -XPath '//t:UnitTestResult[@outcome="NotExecuted"]') {
        $notRun.Add("$($r.Node.testName): $(Get-XmlText $r.Node 'Output', 'ErrorInfo', 'Message')")
    }
    foreach ($r in Select-Xml -Xml $results -Namespace $ns -XPath '//t:UnitTestResult[@outcome!="Passed" and @outcome!="NotExecuted"]') {
        $failedTests.Add("$($r.Node.testName) ($($Leg.Data), $($r.Node.outcome)): $(Get-XmlText $r.Node 'Output', 'ErrorInfo', 'Message')")
    }
    $result = [pscustomobject]@{
        Passed = [int]$counters.passed
        Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    # Completed or Failed is a run that reached its end; anything else (Aborted, Error, Timeout, ...) did not.
    if ($summary.outcome -notin 'Completed', 'Failed' -and $result.Failed -eq 0) {
        Write-Failure "$($Leg.Data): FAILED, the run's outcome is '$($summary.outcome)' (exit code $($Leg.ExitCode))"
        $result.Failed = 1
    }
    elseif (Test-LegExitHole $Leg $Leg.Data $result.Failed) { $result.Failed = 1 }
    $result
}

# What the Mono run reported (xunit.console's XML); a leg that ran nothing, or whose counts do not add up, proves
# nothing and is one failure.
function Get-MonoLegResult($Leg) {
    if (Test-LegStopped $Leg 'NetFx') { return [pscustomobject]@{ Passed = 0; Failed = 1 } }
    $xml = $Leg.Data
    if (-not (Test-Path $xml)) {
        Write-Failure "NetFx: FAILED, Sobot.Client.NetFx.Tests produced no test results under Mono (exit code $($Leg.ExitCode))"
        return [pscustomobject]@{ Passed = 0; Failed = 1 }
    }
    # Read once; the counts, the skipped tests and the failures all come from it.
    $results = [xml](Get-Content -Raw $xml)
    $passed = 0; $failed = 0; $errors = 0; $total = 0; $skipped = 0
    foreach ($a in $results.assemblies.assembly) {
        $passed += [int]$a.GetAttribute('passed')
        $failed += [int]$a.GetAttribute('failed')
        $errors += [int]$a.GetAttribute('errors')
        $total += [int]$a.GetAttribute('total')
        $skipped += [int]$a.GetAttribute('skipped')
    }
    if ($total -eq 0 -or $total -ne $passed + $failed + $skipped) {
        Write-Failure "NetFx: FAILED, Sobot.Client.NetFx.Tests under Mono reported $total test(s): $passed passed, $failed failed, $skipped skipped; nothing ran, or not all of it."
        return [pscustomobject]@{ Passed = 0; Failed = 1 }
    }
    # A test skips itself under Mono only for what .NET Framework on Windows does not share with it (RuntimeQuirks.cs):
    # reported as not run with its reason, never counted as passed.
    foreach ($t in Select-Xml -Xml $results -XPath '//test[@result="Skip"]') {
        $notRun.Add("$($t.Node.name) (.NET Framework leg, Mono): $(Get-XmlText $t.Node 'reason')")
    }
    foreach ($t in Select-Xml -Xml $results -XPath '//test[@result="Fail"]') {
        $failedTests.Add("$($t.Node.name) (.NET Framework leg, Mono): $(Get-XmlText $t.Node 'failure', 'message')")
    }
    # Errors outside any test (a class fixture that threw): counted as failures above, named here.
    foreach ($e in Select-Xml -Xml $results -XPath '//errors/error') {
        $failedTests.Add("$($e.Node.GetAttribute('name')) (.NET Framework leg, Mono, $($e.Node.GetAttribute('type'))): $(Get-XmlText $e.Node 'failure', 'message')")
    }
    Write-Host "NetFx (Mono): $passed passed, $($failed + $errors) failed ($($Leg.Seconds) s)"
    $result = [pscustomobject]@{ Passed = $passed; Failed = $failed + $errors }
    if (Test-LegExitHole $Leg 'NetFx' $result.Failed) { $result.Failed = 1 }
    $result
}

# The whole suite after the one build: each xunit project, the .NET Framework leg (the net472 compile check of the
# client and the cmdlets, and the client's tests under Mono) and the Pester files split over two pwsh processes, as
# separate processes side by side (most of the tests wait on sockets and child processes, not on the CPU).
function Invoke-AllTests([int] $Jobs) {
    # No test may be skipped by its attribute: a skip is decided at run time, by what the machine has.
    $static = @(Get-ChildItem (Join-Path $root 'tests') -Recurse -Filter *.cs | Select-String -Pattern '\[(Fact|Theory|SkippableFact|SkippableTheory)\([^)]*Skip\s*=')
    if ($static) { throw "Tests skipped by attribute (remove the Skip, or skip at run time for a reason the machine gives): $($static -join '; ')" }
    if (Test-Path $testResults) { Remove-Item $testResults -Recurse -Force }
    $null = New-Item -ItemType Directory $testResults
    $pester = Get-PesterModulePath
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()

    $xunitLegs = foreach ($project in Get-TestProject) {
        $name = [IO.Path]::GetFileNameWithoutExtension($project)
        New-TestLeg -Name $name -Kind 'xunit' -FilePath 'dotnet' -Data $name -Arguments @('test', $project, '-c', $Configuration, '--no-build',
            '--nologo', '-v', 'quiet', '--logger', "trx;LogFileName=$name.trx", '--results-directory', $testResults,
            # A test still running after 10 minutes is named in the log, and its test host ended (no dump written).
            '--blame-hang-timeout', '10m', '--blame-hang-dump-type', 'none')
    }

    # The .NET Framework leg: what Windows PowerShell 5.1 runs, tried on this machine by proxy (docs/design.md, "The .NET
    # Framework test leg"). The cmdlet project is compiled for net472 against the reference assemblies, and the client
    # with it (SobotNetFxCheck flows to its reference; its own obj folder, so the everyday netstandard2.0 build stays as it
    # is): a compile check, what ships stays the netstandard2.0 build. tests/Sobot.Client.NetFx.Tests (net472: the
    # client's tests that matter there, linked from tests/Sobot.Client.Tests, against the shipped netstandard2.0 client)
    # is built in a leg of its own (only that project: the solution built the client), then runs under Mono with
    # xunit's console runner, starting the built emulator as a child process. A failed build of it is one failure, and
    # the Mono run is then not started. Without mono the tests are reported as not run (CI installs mono-devel and
    # requires the leg).
    $netFxLegs = @(New-TestLeg -Name 'net472-check' -Kind 'build' -FilePath 'dotnet' -Arguments @('build', (Join-Path $root 'src/SobotPS/SobotPS.csproj'),
            '-c', $Configuration, '--nologo', '-v', 'quiet', '-p:SobotNetFxCheck=true', '-p:BaseIntermediateOutputPath=obj/netfx/'))
    $netFxBuild = New-TestLeg -Name "$netFxTestProject-build" -Kind 'build' -FilePath 'dotnet' -Arguments @('build',
        (Join-Path $root "tests/$netFxTestProject/$netFxTestProject.csproj"), '-c', $Configuration, '--nologo', '-v', 'quiet', '--no-dependencies')
    $netFxLegs += $netFxBuild
    $leg = 'The .NET Framework test leg (tests/Sobot.Client.NetFx.Tests under Mono)'
    $netFxFailed = 0
    if (-not (Get-Command mono -CommandType Application -ErrorAction Ignore)) {
        if ($env:SOBOT_REQUIRE_NETFX -eq '1') {
            Write-Failure "NetFx: FAILED, ${leg}: mono is not installed, and this run requires the leg (SOBOT_REQUIRE_NETFX=1)."
            $netFxFailed = 1
        }
        else { $notRun.Add("${leg}: mono is not installed (Debian: apt-get install mono-devel; .ci/run installs it). The net472 builds were checked.") }
    }
    else {
        $runner = Join-Path $packages 'xunit.runner.console/2.4.1/tools/net472/xunit.console.exe'
        $assembly = Join-Path $root "tests/Sobot.Client.NetFx.Tests/bin/$Configuration/net472/Sobot.Client.NetFx.Tests.dll"
        $xml = Join-Path $testResults 'Sobot.Client.NetFx.Tests.xml'
        # The tests start the emulator this build published (a .NET 10 program, run by dotnet); only the client and the
        # tests run on Mono.
        if (-not (Test-Path $runner)) {
            # The one failure of this leg; the rest of the suite runs.
            Write-Failure "NetFx: FAILED, xunit.runner.console 2.4.1 was not restored to $runner (the Mono run is not started)."
            $netFxFailed = 1
        }
        else {
            $netFxLegs += New-TestLeg -Name "$netFxTestProject-mono" -Kind 'mono' -FilePath 'mono' -Data $xml -After $netFxBuild `
                -Arguments @($runner, $assembly, '-noshadow', '-nologo', '-xml', $xml) -Environment @{ SOBOT_EMULATOR_DLL = Join-Path $emulatorOut 'Sobot.Emulator.dll' }
        }
    }

    # Pester: the files shared out between two processes, each started outside the checkout (a child process that falls
    # back to its working directory for a profile folder, as PSResourceGet and NuGet do when no home can be resolved,
    # writes into scratch, not the repository).
    $scratch = Join-Path ([IO.Path]::GetTempPath()) ('sobotps-pester-' + [guid]::NewGuid().ToString('N'))
    $claims = Join-Path $scratch 'claims'
    $null = New-Item -ItemType Directory $claims
    $timesFile = Join-Path $out 'pester-times.json'
    $pesterFiles = Get-PesterFileOrder $timesFile
    $fileList = Join-Path $scratch 'files.txt'
    Set-Content -LiteralPath $fileList -Value $pesterFiles
    $workerScript = Join-Path $scratch 'PesterWorker.ps1'
    Set-Content -LiteralPath $workerScript -Value $pesterWorker
    $pesterLegs = foreach ($n in 1..([Math]::Min(2, [Math]::Max(1, $Jobs)))) {
        $cwd = Join-Path $scratch "cwd$n"
        $null = New-Item -ItemType Directory $cwd
        $summary = Join-Path $testResults "pester-$n.json"
        New-TestLeg -Name "pester-$n" -Kind 'pester' -FilePath 'dotnet' -WorkingDirectory $cwd -Data $summary -Arguments @(
            (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $workerScript,
            '-Pester', $pester, '-FileList', $fileList, '-Claims', $claims, '-Summary', $summary)
    }

    # Started the longest first (Pester, then the others as the last run on this checkout timed them), printed in a
    # fixed order.
    $legTimesFile = Join-Path $out 'leg-times.json'
    $legTimes = @{}
    if (Test-Path $legTimesFile) {
        try { (Get-Content -Raw $legTimesFile | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $legTimes[$_.Name] = [double]$_.Value } }
        catch { $legTimes = @{} }
    }
    $others = @(@($xunitLegs) + @($netFxLegs) | Sort-Object -Stable -Descending { if ($legTimes.ContainsKey($_.Name)) { $legTimes[$_.Name] } else { 0 } })
    $byLength = @($pesterLegs) + $others
    $printOrder = @($xunitLegs) + @($netFxLegs) + @($pesterLegs)
    try { Invoke-TestLeg -Legs $byLength -PrintOrder $printOrder -Jobs $Jobs }
    finally { Remove-Item $scratch -Recurse -Force -ErrorAction SilentlyContinue }

    Write-Host ''
    $xunit = [pscustomobject]@{ Passed = 0; Failed = 0 }
    foreach ($l in $xunitLegs) {
        $r = Get-XunitLegResult $l
        $xunit.Passed += $r.Passed; $xunit.Failed += $r.Failed
    }
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed"
    $netFx = [pscustomobject]@{ Passed = 0; Failed = $netFxFailed }
    foreach ($l in $netFxLegs) {
        if ($l.Kind -eq 'build') {
            if ($l.TimedOut) { $null = Test-LegStopped $l 'NetFx'; $netFx.Failed++ }
            elseif ($l.ExitCode -ne 0) { Write-Failure "NetFx: FAILED, the net472 build $($l.Name) failed (exit code $($l.ExitCode)): see it above."; $netFx.Failed++ }
        }
        # Not started because its build failed: that failure is already counted.
        elseif ($l.NotStarted) { Write-Host "NetFx: $($l.Name) not started ($($l.After.Name) failed)." -ForegroundColor Red }
        else { $r = Get-MonoLegResult $l; $netFx.Passed += $r.Passed; $netFx.Failed += $r.Failed }
    }
    $pesterResult = [pscustomobject]@{ Passed = 0; Failed = 0 }
    $times = [ordered]@{}
    foreach ($l in $pesterLegs) {
        if (Test-LegStopped $l 'Pester') { $pesterResult.Failed++; continue }
        if (-not (Test-Path $l.Data)) {
            Write-Failure "Pester: FAILED, $($l.Name) produced no summary (exit code $($l.ExitCode))"
            $pesterResult.Failed++
            continue
        }
        $s = Get-Content -Raw $l.Data | ConvertFrom-Json
        if ($s.Skipped -gt 0) { Write-Warning "Pester ($($l.Name)) skipped $($s.Skipped) test(s); counted as failed." }
        foreach ($n in @($s.NotRun)) { if ($n) { $notRun.Add([string]$n) } }
        foreach ($f in @($s.Failures)) { if ($f) { $failedTests.Add([string]$f) } }
        $pesterResult.Passed += [int]$s.Passed
        $pesterResult.Failed += [int]$s.Failed + [int]$s.Skipped
        if (Test-LegExitHole $l "Pester ($($l.Name))" ([int]$s.Failed + [int]$s.Skipped)) { $pesterResult.Failed++ }
        if ($s.Times) { $s.Times.PSObject.Properties | ForEach-Object { $times[$_.Name] = $_.Value } }
    }
    # Every file was run by one of the processes: a file nobody ran is one failure, not a silent gap.
    foreach ($f in $pesterFiles) {
        $name = Split-Path $f -Leaf
        if (-not $times.Contains($name)) { Write-Failure "Pester: FAILED, $name was not run"; $pesterResult.Failed++ }
    }
    if ($times.Count -gt 0) { $times | ConvertTo-Json | Set-Content -LiteralPath $timesFile }
    Write-Host "Pester: $($pesterResult.Passed) passed, $($pesterResult.Failed) failed"
    $legTimes = [ordered]@{}
    foreach ($l in $printOrder) { $legTimes[$l.Name] = $l.Seconds }
    $legTimes | ConvertTo-Json | Set-Content -LiteralPath $legTimesFile
    Write-Host ("Legs (s): " + (($printOrder | ForEach-Object { "$($_.Name) $($_.Seconds)" }) -join ', '))
    Write-Host ("Pester files (s): " + (($times.GetEnumerator() | Sort-Object Value -Descending | ForEach-Object { "$($_.Key -replace '\.Tests\.ps1$') $($_.Value)" }) -join ', '))
    [pscustomobject]@{ Passed = $xunit.Passed + $netFx.Passed + $pesterResult.Passed; Failed = $xunit.Failed + $netFx.Failed + $pesterResult.Failed }
}

# The kill tests at full size (SOBOT_SOAK=1: 20,000 events): the receiver's tests marked [Trait("Category", "Soak")],
# nothing else. Not part of Test, which runs them at their smaller default. A soak run that finds no such test fails.
function Invoke-SoakTests {
    $results = Join-Path $out 'soak-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $env:SOBOT_SOAK = '1'
    try {
        & dotnet test (Join-Path $root 'tests/Sobot.Receiver.Tests') -c $Configuration --nologo -v quiet --filter 'Category=Soak' `
            --logger 'trx;LogFileName=Soak.trx' --results-directory $results | Out-Host
    }
    finally { Remove-Item Env:SOBOT_SOAK -ErrorAction Ignore }
    $trx = Join-Path $results 'Soak.trx'
    if (-not (Test-Path $trx)) { throw "The soak run produced no test results (exit code $LASTEXITCODE; build failure, or no test has [Trait(""Category"", ""Soak"")])." }
    $c = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
    $failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
    if ([int]$c.total -eq 0) { $failed++; Write-Failure 'Soak: FAILED, no test has [Trait("Category", "Soak")].' }
    Write-Output "$([int]$c.passed) passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

# Each changed or untracked path `git status` reports (ignored build outputs aside), with its content hash, so
# that a test changing a file already changed before the run is caught too. $null outside a git work tree.
function Get-WorkTreeState {
    if (-not (Get-Command git -ErrorAction Ignore)) { return $null }
    $inside = & git -C $root rev-parse --is-inside-work-tree 2>$null
    if ($LASTEXITCODE -ne 0 -or $inside -ne 'true') { return $null }
    $state = @{}
    foreach ($line in & git -C $root status --porcelain=v1 --untracked-files=all) {
        $file = Join-Path $root $line.Substring(3)
        $state[$line] = if (Test-Path -LiteralPath $file -PathType Leaf) { (Get-FileHash -LiteralPath $file).Hash } else { '' }
    }
    $state
}

# The test run must leave the checkout as it found it: one test, passed or failed, in the final count.
function Test-WorkTreeUnchanged([hashtable] $Before) {
    $after = Get-WorkTreeState
    $changed = @(@(
            $after.Keys | Where-Object { -not $Before.ContainsKey($_) -or $Before[$_] -ne $after[$_] }
            $Before.Keys | Where-Object { -not $after.ContainsKey($_) }
        ) | Sort-Object -Unique)
    if ($changed.Count -eq 0) {
        Write-Host 'Working tree: unchanged by the test run'
        return [pscustomobject]@{ Passed = 1; Failed = 0 }
    }
    Write-Failure "Working tree: FAILED, the test run changed $($changed.Count) path(s) in the checkout (git status --porcelain):"
    $changed | ForEach-Object { Write-Host "  $_" -ForegroundColor Red }
    [pscustomobject]@{ Passed = 0; Failed = 1 }
}

function Invoke-Demo {
    Import-Module (Join-Path $root 'build/SobotEmulator.psm1') -Force
    $emulator = Start-SobotEmulator
    try {
        Write-Host "Emulator at $($emulator.BaseUri)"
        Import-Module (Join-Path $moduleOut 'SobotPS.psd1') -Force
        $secret = ConvertTo-SecureString $emulator.SecretKey -AsPlainText -Force
        Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey $secret -BaseUri $emulator.BaseUri
        Get-SobotConnection | Format-Table | Out-Host
        $csv = Join-Path $root 'examples/customers.csv'
        Write-Host "Import-Csv examples/customers.csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { `$_.OrderId }"
        Import-Csv $csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } -InformationAction Continue | Format-Table | Out-Host
        Disconnect-Sobot
    }
    finally {
        $emulator | Stop-SobotEmulator
    }
}

switch ($Task) {
    'Clean' {
        Remove-Item $out -Recurse -Force -ErrorAction SilentlyContinue
        Get-ChildItem $root -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force
    }
    'Build' { Invoke-Build }
    'Demo' { Invoke-Build; Invoke-Demo }
    'Package' {
        Invoke-Build
        $repository = Join-Path $out 'repository'
        Remove-Item (Join-Path $repository 'SobotPS.*.nupkg') -ErrorAction SilentlyContinue
        & (Join-Path $root 'build/Publish-LocalRepository.ps1') -ModulePath $moduleOut -RepositoryPath $repository |
            ForEach-Object { Write-Host "Published $($_.FullName)" }
    }
    'Bench' {
        Invoke-Build
        # Every bench/Invoke-*.ps1, so that a new speed or latency figure is one new script there.
        foreach ($bench in Get-ChildItem (Join-Path $root 'bench') -Filter 'Invoke-*.ps1' | Sort-Object Name) {
            Write-Host "Bench: $($bench.Name)"
            & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $bench.FullName
            if ($LASTEXITCODE -ne 0) { throw "The benchmark $($bench.Name) failed." }
        }
    }
    'Soak' { Invoke-SoakTests }
    'Test' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $treeBefore = Get-WorkTreeState
        Invoke-TestBuild
        Write-Host "Build: $([int]$clock.Elapsed.TotalSeconds) s"
        $notRun = [System.Collections.Generic.List[string]]::new()
        $all = Invoke-AllTests -Jobs $Jobs
        Write-Host "Build and tests: $([int]$clock.Elapsed.TotalSeconds) s"
        $passed = $all.Passed
        $failed = $all.Failed
        if ($null -ne $treeBefore) {
            $tree = Test-WorkTreeUnchanged $treeBefore
            $passed += $tree.Passed
            $failed += $tree.Failed
        }
        else { Write-Host 'Working tree: not checked (not a git work tree, or git is missing)' }
        if ($notRun.Count -gt 0) {
            Write-Host "NOT RUN on this machine ($($notRun.Count), counted neither passed nor failed):"
            foreach ($n in $notRun) { Write-Host "  $n" }
        }
        # Every failure once more at the very end, where a log cut to its tail still shows it: each failed test's name
        # and the first lines of its message (the whole of it is in the leg's output above), and each leg that failed
        # without naming a test.
        if ($failedTests.Count -gt 0) {
            Write-Host "FAILED ($($failedTests.Count)):" -ForegroundColor Red
            foreach ($f in $failedTests) {
                $lines = @(($f -split '\r?\n') | Where-Object { $_.Trim() } | Select-Object -First 4)
                Write-Host "  $($lines -join ' | ')"
            }
        }
        Write-Output "$passed passed, $failed failed"
        if ($failed -gt 0) { exit 1 }
    }
}
