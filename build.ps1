#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and demonstrates SobotPS.
.DESCRIPTION
    Build : compiles, then stages the module at out/SobotPS (manifest, the DLLs src/SobotPS/ShippedAssemblies.txt
            lists, format file) and the emulator at out/emulator.
    Test  : Build, then the xunit suites, the .NET Framework leg (net472 builds, and client tests under Mono when
            mono is installed, else reported as not run) and the Pester suite (in a fresh pwsh that imports out/SobotPS), then
            checks that the run left the git working tree as it found it (one more test);
            ends with the line "N passed, N failed".
    Demo  : Build, then sends examples/customers.csv as template messages to a local emulator.
    Package: Build, then publishes out/SobotPS as a .nupkg to the file repository out/repository
            (Register-PSResourceRepository -Uri <that folder>, then Install-PSResource SobotPS).
    Bench : Build, then bench/Invoke-Benchmark.ps1: SobotPS against Invoke-RestMethod loops; writes bench/results.md.
    Clean : removes out/ and the bin/obj folders.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'SobotPS'
$emulatorOut = Join-Path $out 'emulator'
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

function Invoke-XunitTests {
    # No test may be skipped by its attribute: a skip is decided at run time, by what the machine has.
    $static = @(Get-ChildItem (Join-Path $root 'tests') -Recurse -Filter *.cs | Select-String -Pattern '\[(Fact|Theory|SkippableFact|SkippableTheory)\([^)]*Skip\s*=')
    if ($static) { throw "Tests skipped by attribute (remove the Skip, or skip at run time for a reason the machine gives): $($static -join '; ')" }
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $passed = 0; $failed = 0
    foreach ($project in 'tests/Sobot.Client.Tests', 'tests/Sobot.Emulator.Tests', 'tests/Sobot.Receiver.Tests') {
        $name = Split-Path $project -Leaf
        & dotnet test (Join-Path $root $project) -c $Configuration --nologo -v quiet `
            --logger "trx;LogFileName=$name.trx" --results-directory $results | Out-Host
        $trx = Join-Path $results "$name.trx"
        if (-not (Test-Path $trx)) { throw "$name produced no test results (build failure?)." }
        $counters = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        # A test skips itself only when this machine lacks what it needs (root for a second local user,
        # systemd-analyze): reported as not run with its reason, never counted as passed.
        $ns = @{ t = 'http://microsoft.com/schemas/VisualStudio/TeamTest/2010' }
        foreach ($r in Select-Xml -Path $trx -Namespace $ns -XPath '//t:UnitTestResult[@outcome="NotExecuted"]') {
            $notRun.Add("$($r.Node.testName): $($r.Node.Output.ErrorInfo.Message)")
        }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

# The .NET Framework leg: what Windows PowerShell 5.1 runs, tried on this machine by proxy (docs/design.md, "The .NET
# Framework test leg"). The client and the cmdlet project are compiled for net472 against the reference assemblies
# (a compile check; what ships stays the netstandard2.0 build), then tests/Sobot.Client.NetFx.Tests (net472: the
# client's tests that matter there, linked from tests/Sobot.Client.Tests, against the shipped netstandard2.0 client)
# runs under Mono with xunit's console runner, starting the built emulator as a child process. Without mono the
# tests are reported as not run (CI installs mono-devel).
function Invoke-NetFxTests {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    # Its own obj folder: the everyday build's restore (netstandard2.0) stays as it is.
    foreach ($project in 'src/Sobot.Client/Sobot.Client.csproj', 'src/SobotPS/SobotPS.csproj') {
        Invoke-Native dotnet @('build', (Join-Path $root $project), '-c', $Configuration, '--nologo', '-v', 'quiet',
            '-p:SobotNetFxCheck=true', '-p:BaseIntermediateOutputPath=obj/netfx/') | Out-Host
    }
    Invoke-Native dotnet @('build', (Join-Path $root 'tests/Sobot.Client.NetFx.Tests/Sobot.Client.NetFx.Tests.csproj'), '-c', $Configuration, '--nologo', '-v', 'quiet') | Out-Host
    $leg = 'The .NET Framework test leg (tests/Sobot.Client.NetFx.Tests under Mono)'
    if (-not (Get-Command mono -CommandType Application -ErrorAction Ignore)) {
        if ($env:SOBOT_REQUIRE_NETFX -eq '1') { throw "${leg}: mono is not installed, and this run requires the leg (SOBOT_REQUIRE_NETFX=1)." }
        $notRun.Add("${leg}: mono is not installed (Debian: apt-get install mono-devel; .ci/run installs it). The net472 builds were checked.")
        Write-Host "NetFx: net472 builds checked; tests not run, no mono ($([int]$clock.Elapsed.TotalSeconds) s)"
        return [pscustomobject]@{ Passed = 0; Failed = 0 }
    }
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $runner = Join-Path $packages 'xunit.runner.console/2.4.1/tools/net472/xunit.console.exe'
    if (-not (Test-Path $runner)) { throw "xunit.runner.console 2.4.1 was not restored to $runner." }
    $assembly = Join-Path $root "tests/Sobot.Client.NetFx.Tests/bin/$Configuration/net472/Sobot.Client.NetFx.Tests.dll"
    $results = Join-Path $out 'test-results'
    $null = New-Item -ItemType Directory -Force $results
    $xml = Join-Path $results 'Sobot.Client.NetFx.Tests.xml'
    if (Test-Path $xml) { Remove-Item $xml }
    # The tests start the emulator this build published (a .NET 10 program, run by dotnet); only the client and the
    # tests run on Mono.
    $env:SOBOT_EMULATOR_DLL = Join-Path $emulatorOut 'Sobot.Emulator.dll'
    try { & mono $runner $assembly -noshadow -nologo -xml $xml | Out-Host }
    finally { Remove-Item Env:SOBOT_EMULATOR_DLL -ErrorAction Ignore }
    if (-not (Test-Path $xml)) { throw "Sobot.Client.NetFx.Tests produced no test results under Mono (exit code $LASTEXITCODE)." }
    $passed = 0; $failed = 0; $errors = 0; $total = 0; $skipped = 0
    foreach ($a in ([xml](Get-Content -Raw $xml)).assemblies.assembly) {
        $passed += [int]$a.GetAttribute('passed')
        $failed += [int]$a.GetAttribute('failed')
        $errors += [int]$a.GetAttribute('errors')
        $total += [int]$a.GetAttribute('total')
        $skipped += [int]$a.GetAttribute('skipped')
    }
    # A leg that ran nothing, or whose counts do not add up, proves nothing: it fails.
    if ($total -eq 0 -or $total -ne $passed + $failed + $skipped) {
        throw "Sobot.Client.NetFx.Tests under Mono reported $total test(s): $passed passed, $failed failed, $skipped skipped; nothing ran, or not all of it."
    }
    $failed += $errors
    # A test skips itself under Mono only for what .NET Framework on Windows does not share with it (RuntimeQuirks.cs):
    # reported as not run with its reason, never counted as passed.
    foreach ($t in Select-Xml -Path $xml -XPath '//test[@result="Skip"]') {
        $notRun.Add("$($t.Node.name) (.NET Framework leg, Mono): $($t.Node.reason.InnerText)")
    }
    Write-Host "NetFx (Mono): $passed passed, $failed failed ($([int]$clock.Elapsed.TotalSeconds) s with the net472 builds)"
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

function Invoke-PesterTests {
    $pester = Get-PesterModulePath
    $summary = Join-Path $out 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary }
    # A fresh pwsh: the tests see only what out/SobotPS ships, not anything this session loaded.
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester' -RequiredVersion 5.7.1
`$c = New-PesterConfiguration
`$c.Run.Path = '$(Join-Path $root 'tests/SobotPS.Tests')'
`$c.Run.PassThru = `$true
`$c.Output.Verbosity = 'Normal'
`$r = Invoke-Pester -Configuration `$c
# Only tests that need something a machine may lack (Chromium, root for a second local user) may skip
# themselves, tagged so: they are reported as not run with their reason, never counted as passed.
`$allowed = @(`$r.Skipped | Where-Object { `$_.Tag -contains 'Browser' -or `$_.Tag -contains 'SecondUser' })
`$notRun = @(`$allowed | ForEach-Object { '{0}: {1}' -f `$_.ExpandedPath, ((@(`$_.ErrorRecord) | Select-Object -First 1).Exception.Message) })
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount + `$r.NotRunCount - `$allowed.Count; NotRun = `$notRun } | ConvertTo-Json | Set-Content '$summary'
"@
    # Started outside the checkout: a child process that falls back to its working directory for a profile
    # folder (as PSResourceGet and NuGet do when no home can be resolved) writes into scratch, not the repository.
    $scratch = Join-Path ([IO.Path]::GetTempPath()) ('sobotps-pester-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $scratch
    Push-Location $scratch
    try { & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script | Out-Host }
    finally {
        Pop-Location
        Remove-Item $scratch -Recurse -Force -ErrorAction SilentlyContinue
    }
    if (-not (Test-Path $summary)) { throw 'The Pester run produced no summary.' }
    $s = Get-Content -Raw $summary | ConvertFrom-Json
    if ($s.Skipped -gt 0) { Write-Warning "Pester skipped $($s.Skipped) test(s); counted as failed." }
    foreach ($n in @($s.NotRun)) { if ($n) { $notRun.Add([string]$n) } }
    [pscustomobject]@{ Passed = [int]$s.Passed; Failed = [int]$s.Failed + [int]$s.Skipped }
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
    Write-Host "Working tree: FAILED, the test run changed $($changed.Count) path(s) in the checkout (git status --porcelain):" -ForegroundColor Red
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
        & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $root 'bench/Invoke-Benchmark.ps1')
        if ($LASTEXITCODE -ne 0) { throw 'The benchmark failed.' }
        & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $root 'bench/Invoke-ReceiverBenchmark.ps1')
        if ($LASTEXITCODE -ne 0) { throw 'The receiver benchmark failed.' }
    }
    'Test' {
        $treeBefore = Get-WorkTreeState
        Invoke-Build
        $notRun = [System.Collections.Generic.List[string]]::new()
        $xunit = Invoke-XunitTests
        Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed"
        # The .NET Framework leg as a whole: a leg that cannot run (no results from Mono) is one failure, and the rest goes on.
        $netFx = try { Invoke-NetFxTests }
        catch {
            Write-Host "NetFx: FAILED, $($_.Exception.Message)" -ForegroundColor Red
            [pscustomobject]@{ Passed = 0; Failed = 1 }
        }
        $xunit = [pscustomobject]@{ Passed = $xunit.Passed + $netFx.Passed; Failed = $xunit.Failed + $netFx.Failed }
        $pesterResult = Invoke-PesterTests
        Write-Host "Pester: $($pesterResult.Passed) passed, $($pesterResult.Failed) failed"
        $passed = $xunit.Passed + $pesterResult.Passed
        $failed = $xunit.Failed + $pesterResult.Failed
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
        Write-Output "$passed passed, $failed failed"
        if ($failed -gt 0) { exit 1 }
    }
}
