# Dot-sourced by every test file's BeforeAll: imports the built module (out/SobotPS, what ships)
# and starts an emulator on a free loopback port.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
# The user's data folder (the opt-out lists kept per receiver, a receiver's default store) in this file's temp dir,
# for this process and the scheduled runs it starts: on Linux .NET reads it from XDG_DATA_HOME.
$env:XDG_DATA_HOME = Join-Path $TestDrive 'data'
$script:ModuleManifest = Join-Path $RepoRoot 'out/SobotPS/SobotPS.psd1'
# Completers that ask a server give up after 1-2 s for users; on a loaded machine a slow answer is not "none".
$env:SOBOT_COMPLETER_TIMEOUT_SEC = '60'
if (-not (Test-Path $ModuleManifest)) { throw "Build first: $ModuleManifest is missing (dotnet pwsh ./build.ps1 -Task Build)." }
Import-Module (Join-Path $RepoRoot 'build/SobotEmulator.psm1') -Force
Import-Module $ModuleManifest -Force

function Start-TestEmulator {
    param([string[]] $ArgumentList = @())
    Start-SobotEmulator -ArgumentList $ArgumentList
}

function ConvertTo-TestSecret([string] $Text) { ConvertTo-SecureString $Text -AsPlainText -Force }

function Connect-TestEmulator {
    param($Emulator, [string] $DefaultRegion, [switch] $PassThru)
    $p = @{ AccessKey = $Emulator.AccessKey; SecretKey = (ConvertTo-TestSecret $Emulator.SecretKey); BaseUri = $Emulator.BaseUri }
    if ($DefaultRegion) { $p.DefaultRegion = $DefaultRegion }
    Connect-Sobot @p -PassThru:$PassThru
}

function Get-EmulatorMessage($Emulator) {
    # Invoke-RestMethod returns a JSON array as one object; assigning it first lets the items stream out one by one.
    $all = Invoke-RestMethod -Uri "$($Emulator.BaseUri)/_emulator/messages"
    $all
}

function Reset-Emulator($Emulator) {
    $null = Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUri)/_emulator/reset"
}

function Open-ConversationWindow($Emulator, [string] $Number) {
    $null = Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUri)/_emulator/inbound" -ContentType 'application/json' -Body (@{ from = $Number; text = 'Hi' } | ConvertTo-Json)
}

function Set-EmulatorFault($Emulator, [hashtable] $Fault) {
    $null = Invoke-RestMethod -Method Post "$($Emulator.BaseUri)/_emulator/faults" -ContentType application/json -Body ($Fault | ConvertTo-Json)
}

function Get-EmulatorRequest($Emulator) { $all = Invoke-RestMethod "$($Emulator.BaseUri)/_emulator/requests"; $all }

function Wait-Until([scriptblock] $Condition, [int] $TimeoutSec = 60) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Condition not met within $TimeoutSec s: $Condition" }
        Start-Sleep -Milliseconds 50
    }
}

# Starts an example the way a scheduled task runs it: a fresh pwsh, the module by name, the keys (and the
# receiver, when given) in the environment. Complete-ScheduledExample waits for it and returns its output.
function Start-ScheduledExample([string] $Script, [string[]] $Arguments, $Emulator, $Receiver, [string] $WorkingDirectory) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', (Join-Path $RepoRoot "examples/$Script")) + $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.Environment['SOBOT_ACCESS_KEY'] = $Emulator.AccessKey
    $psi.Environment['SOBOT_SECRET_KEY'] = $Emulator.SecretKey
    $psi.Environment['SOBOT_BASE_URI'] = $Emulator.BaseUri
    if ($Receiver) {
        $psi.Environment['SOBOT_RECEIVER_URI'] = "$($Receiver.QueryUrl)"
        $psi.Environment['SOBOT_RECEIVER_KEY'] = $Receiver.QueryKey | ConvertFrom-SecureString -AsPlainText
    }
    $psi.Environment['PSModulePath'] = (Split-Path (Split-Path $ModuleManifest)) + [IO.Path]::PathSeparator + $env:PSModulePath
    if ($WorkingDirectory) { $psi.WorkingDirectory = $WorkingDirectory }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $p = [System.Diagnostics.Process]::Start($psi)
    [pscustomobject]@{ Process = $p; Error = $p.StandardError.ReadToEndAsync() }
}

function Complete-ScheduledExample($Run) {
    $out = $Run.Process.StandardOutput.ReadToEnd()
    $Run.Process.WaitForExit()
    [pscustomobject]@{ ExitCode = $Run.Process.ExitCode; Output = $out; Error = $Run.Error.Result }
}

# Opens the 24-hour windows of these numbers as the customers writing would, and waits until the connected
# receiver knows (free-form sends check the window with it).
function Open-ReceiverWindow($Emulator, [string[]] $Number) {
    foreach ($n in $Number) { Open-ConversationWindow $Emulator $n }
    Wait-Until { @($Number | Get-SobotConversationWindow | Where-Object IsOpen).Count -eq $Number.Count } -TimeoutSec 60
}

# A free loopback port below the range the system hands out for port 0 and outgoing connections
# (ip_local_port_range), so that no other test's listener or connection takes it before a server binds it, or while
# a test restarts one on it. Where that range is not known, any free port.
function Get-FreePort {
    $below = 0
    try { $below = [int](((Get-Content -Raw /proc/sys/net/ipv4/ip_local_port_range) -split '\s+')[0]) } catch { $below = 0 }
    for ($i = 0; $below -gt 11000 -and $i -lt 50; $i++) {
        $port = Get-Random -Minimum 10000 -Maximum $below
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port)
        try { $l.Start(); return $port } catch [System.Net.Sockets.SocketException] { } finally { $l.Stop() }
    }
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop(); $port
}

# A fake receiver: answers every request with this status and JSON message, and counts the requests.
# An HttpListener on a free loopback port, listening at $Path: the port can still be taken before the listener binds
# it, so a taken one is tried again with another.
function Start-LoopbackListener([string] $Path = '/') {
    for ($try = 1; ; $try++) {
        $port = Get-FreePort
        $http = [System.Net.HttpListener]::new()
        $http.Prefixes.Add("http://127.0.0.1:$port$Path")
        try { $http.Start(); return [pscustomobject]@{ Http = $http; Port = $port; Uri = "http://127.0.0.1:$port$Path" } }
        catch { $http.Close(); if ($try -ge 20) { throw } }
    }
}

function Start-FakeReceiver([int] $Status, [string] $Message) {
    $listening = Start-LoopbackListener
    $http = $listening.Http; $port = $listening.Port
    $count = [ref]0
    $ps = [powershell]::Create()
    $null = $ps.AddScript({
            param($Http, $Status, $Body, $Count)
            while ($Http.IsListening) {
                try { $context = $Http.GetContext() } catch { break }
                $Count.Value++
                $bytes = [Text.Encoding]::UTF8.GetBytes($Body)
                $context.Response.StatusCode = $Status
                $context.Response.ContentType = 'application/json'
                $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                $context.Response.Close()
            }
        }).AddArgument($http).AddArgument($Status).AddArgument((@{ message = $Message } | ConvertTo-Json -Compress)).AddArgument($count)
    [pscustomobject]@{ Uri = "http://127.0.0.1:$port/"; Http = $http; PowerShell = $ps; Handle = $ps.BeginInvoke(); Requests = $count }
}

function Stop-FakeReceiver($Fake) {
    $Fake.Http.Stop()
    $Fake.Http.Close()
    $null = $Fake.Handle.AsyncWaitHandle.WaitOne(10000)
    $Fake.PowerShell.Dispose()
}

# A second local user, for tests that attack as one: a throwaway system user with a random name (useradd, so root
# only), acting through `runuser -u <name> -- <command>`; Remove-SecondUser (in an AfterAll, so it runs even when a
# test fails) deletes it. Where none can be made, Name is $null and Reason says why: such a test ends with
# Set-ItResult -Skipped -Because $user.Reason, counted as not run.
function New-SecondUser {
    $reason = if ($IsWindows) { 'a second local user is made with useradd, which Windows does not have' }
        elseif ((& id -u) -ne '0') { 'creating a second local user needs root' }
        elseif (-not (Get-Command useradd, /usr/sbin/useradd, /sbin/useradd -ErrorAction Ignore) -or -not (Get-Command runuser, /usr/sbin/runuser, /sbin/runuser -ErrorAction Ignore)) { 'useradd or runuser is not installed' }
    if ($reason) { return [pscustomobject]@{ Name = $null; Uid = $null; Reason = $reason } }
    $useradd = (Get-Command useradd, /usr/sbin/useradd, /sbin/useradd -ErrorAction Ignore | Select-Object -First 1).Source
    $name = 'sobot-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    # Retried: useradd refuses while another process holds the password file's lock.
    while ($true) {
        $out = & $useradd --system --no-create-home --shell /usr/sbin/nologin $name 2>&1
        if ($LASTEXITCODE -eq 0) { break }
        if ([DateTime]::UtcNow -gt $deadline) { throw "useradd $name failed ($LASTEXITCODE): $out" }
        Start-Sleep -Milliseconds 200
    }
    [pscustomobject]@{ Name = $name; Uid = [int](& id -u $name); Reason = $null }
}

function Remove-SecondUser($User) {
    if (-not $User -or -not $User.Name) { return }
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ($true) {
        $null = & userdel --force $User.Name 2>&1
        # 6: there is no such user (already gone).
        if ($LASTEXITCODE -in 0, 6 -or [DateTime]::UtcNow -gt $deadline) { return }
        Start-Sleep -Milliseconds 200
    }
}

# Runs a command as the second user (no shell: the arguments go as they are); returns its exit code and output.
function Invoke-AsSecondUser($User, [string[]] $Command) {
    $output = & runuser -u $User.Name -- @Command 2>&1
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
}

function Test-SecondUserCanRead($User, [string] $Path) {
    $command = if (Test-Path -LiteralPath $Path -PathType Container) { 'ls', '--', $Path } else { 'head', '-c', '1', '--', $Path }
    (Invoke-AsSecondUser $User $command).ExitCode -eq 0
}

# Writes a file as the second user (what an attacker plants), created under this umask.
function Set-SecondUserFile($User, [string] $Path, [string] $Content, [string] $Umask = '077') {
    $made = Invoke-AsSecondUser $User @('sh', '-c', 'umask "$1" && printf ''%s'' "$2" > "$3"', 'sh', $Umask, $Content, $Path)
    if ($made.ExitCode -ne 0) { throw "$($User.Name) could not write ${Path}: $($made.Output)" }
}

# Lets other users pass through (search, not list) every folder from $Folder up to the system's temp folder, so that
# a test checks the modes of what lies below, not of the way there.
function Set-Traversable([string] $Folder) {
    $temp = [IO.Path]::GetFullPath([IO.Path]::GetTempPath()).TrimEnd('/')
    for ($f = [IO.Path]::GetFullPath($Folder).TrimEnd('/'); $f -and $f.Length -gt $temp.Length -and $f.StartsWith("$temp/"); $f = Split-Path $f) {
        & chmod o+x $f
    }
}

# A folder like /tmp: everyone may create files in it (1777), and reach it.
function New-SharedFolder([string] $Parent) {
    $shared = Join-Path $Parent ('shared-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $null = New-Item -ItemType Directory -Path $shared
    & chmod 1777 $shared
    Set-Traversable $shared
    $shared
}
