# Start-, Get- and Stop-SobotReceiver as a user meets them: receivers found again from a new session, a service's
# folder read, one SQLite file per receiver, and start errors that name the port or path.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # This user's list of started receivers lives under the local application data folder: a temporary one here,
    # for this test process and for the sessions it starts, so nothing outside TestDrive is touched.
    $script:savedDataHome = $env:XDG_DATA_HOME
    $env:XDG_DATA_HOME = Join-Path $TestDrive 'data-home'
    $script:registry = Join-Path $env:XDG_DATA_HOME 'SobotPS/receivers'
    $script:startedPids = [System.Collections.Generic.List[int]]::new()

    # A new PowerShell session (a fresh process, as tomorrow's console or a scheduled task would be); what the
    # script writes to the output comes back as JSON.
    function Invoke-Session([string] $Script) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        $body = "`$ErrorActionPreference = 'Stop'; Import-Module '$ModuleManifest'; & { $Script } | ConvertTo-Json -Depth 3 -Compress"
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $body)) { $psi.ArgumentList.Add($a) }
        $psi.Environment['XDG_DATA_HOME'] = $env:XDG_DATA_HOME
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $stderr = $p.StandardError.ReadToEndAsync()
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        # A receiver started with -Detach must not hold the session's streams: a cron job piped to mail would hang.
        if (-not $stderr.Wait(30000)) { throw "The session's standard error stayed open after it exited: a process it started holds it." }
        if ($p.ExitCode -ne 0) { throw "The session failed ($($p.ExitCode)): $($stderr.Result)" }
        if ($out.Trim()) { $out | ConvertFrom-Json } else { $null }
    }

    function Start-DetachedInNewSession([string] $Store) {
        $started = Invoke-Session "Start-SobotReceiver -Path '$Store' -Detach | Select-Object ProcessId, StorePath, WebhookUrlMasked"
        $startedPids.Add([int]$started.ProcessId)
        $started
    }
}

AfterAll {
    foreach ($id in $startedPids) { Stop-Process -Id $id -Force -ErrorAction SilentlyContinue }
    $env:XDG_DATA_HOME = $savedDataHome
}

Describe 'Get-SobotReceiver' {
    It 'finds a -Detach receiver from a new session, masked, and Stop-SobotReceiver stops what it returns' {
        $store = Join-Path $TestDrive 'detached/events.db'
        $started = Start-DetachedInNewSession $store
        $token = (Get-Content -Raw "$store.token").Trim()

        $found = Invoke-Session @'
$r = @(Get-SobotReceiver)
$r | ForEach-Object { [pscustomobject]@{ ProcessId = $_.ProcessId; State = "$($_.State)"; Detached = $_.Detached; StorePath = $_.StorePath
    Masked = $_.WebhookUrlMasked; Revealed = $_.RevealWebhookUrl(); Table = ($_ | Format-Table | Out-String) + ($_ | Format-List | Out-String)
    Key = $_.QueryKey | ConvertFrom-SecureString -AsPlainText } }
'@
        @($found).Count | Should -Be 1
        $found.ProcessId | Should -Be $started.ProcessId
        $found.State | Should -Be 'Running'
        $found.Detached | Should -BeTrue
        $found.StorePath | Should -Be $store
        $found.Masked | Should -Be $started.WebhookUrlMasked
        $found.Masked | Should -Match "/webhook/\*\*\*\*$([regex]::Escape($token.Substring($token.Length - 4)))$"
        $found.Revealed | Should -Match "^http://127\.0\.0\.1:\d+/webhook/$([regex]::Escape($token))$"
        $found.Key | Should -Be (Get-Content -Raw "$store.query-key").Trim()
        $found.Table | Should -Not -BeLike "*$token*"
        $found.Table | Should -BeLike '*Running*'

        # The list is this user's alone and holds no secret.
        (Get-Item $registry).UnixMode | Should -Be 'drwx------'
        $entry = Get-Item (Join-Path $registry "receiver-$($started.ProcessId).json")
        $entry.UnixMode | Should -Be '-rw-------'
        Get-Content -Raw $entry | Should -Not -BeLike "*$token*"

        $null = Invoke-Session 'Get-SobotReceiver | Stop-SobotReceiver'
        Wait-Until { -not (Get-Process -Id $started.ProcessId -ErrorAction SilentlyContinue) }
        Invoke-Session 'Get-SobotReceiver' | Should -BeNullOrEmpty
        Test-Path $entry | Should -BeFalse
    }

    It 'drops receivers that ended, even by SIGKILL, and never takes a reused process id for a receiver' {
        $started = Start-DetachedInNewSession (Join-Path $TestDrive 'killed/events.db')
        Stop-Process -Id $started.ProcessId -Force
        Wait-Until { -not (Get-Process -Id $started.ProcessId -ErrorAction SilentlyContinue) }
        # An entry whose process id now belongs to another program: this test's own process, started long after.
        $impostor = Join-Path $registry "receiver-$PID.json"
        @{ version = 1; pid = $PID; processStartedAt = '2001-01-01T00:00:00.0000000Z'; store = '/nowhere/events.db'; queryUrl = 'http://127.0.0.1:9'; webhookUrlMasked = 'http://127.0.0.1:8/webhook/****abcd'; detached = $true } |
            ConvertTo-Json | Set-Content $impostor

        Invoke-Session 'Get-SobotReceiver' | Should -BeNullOrEmpty
        @(Get-ChildItem $registry -Filter 'receiver-*.json').Count | Should -Be 0

        # Asked for by process id, a process that is not a receiver this user started is never signalled.
        { Stop-SobotReceiver -ProcessId $PID -ErrorAction Stop } | Should -Throw -ErrorId 'SobotReceiverNotFound,SobotPS.Commands.StopSobotReceiverCommand'
        Get-Process -Id $PID | Should -Not -BeNullOrEmpty
    }

    It 'completes -ProcessId with the receivers this user started, and stops one by its ProcessId property' {
        $r = Start-SobotReceiver -Path (Join-Path $TestDrive 'by-id/events.db')
        $line = 'Stop-SobotReceiver -ProcessId '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain "$($r.ProcessId)"
        [pscustomobject]@{ ProcessId = $r.ProcessId } | Stop-SobotReceiver
        $r.IsRunning | Should -BeFalse
        @(Get-SobotReceiver | Where-Object ProcessId -eq $r.ProcessId).Count | Should -Be 0
    }

    It 'reads a service folder: what runs there, its URLs and key from its files, running and then stopped' {
        $folder = Join-Path $TestDrive 'service'
        $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path (Split-Path $ModuleManifest) 'receiver/Sobot.Receiver.dll'), '--ingress-urls', 'http://127.0.0.1:0', '--query-urls', 'http://127.0.0.1:0',
                '--store', (Join-Path $folder 'events.db'), '--token-file', (Join-Path $folder 'token'), '--query-key-file', (Join-Path $folder 'query-key'), '--log-level', 'none')) { $psi.ArgumentList.Add($a) }
        $service = [System.Diagnostics.Process]::Start($psi)
        $startedPids.Add($service.Id)
        Wait-Until { Test-Path (Join-Path $folder 'events.db.receiver.json') }

        $r = Get-SobotReceiver -Path $folder
        $r.State | Should -Be 'Running'
        $r.ProcessId | Should -Be $service.Id
        $r.Detached | Should -BeTrue
        $r.RevealWebhookUrl() | Should -Match "/webhook/$(Get-Content -Raw (Join-Path $folder 'token'))$"
        ($r.QueryKey | ConvertFrom-SecureString -AsPlainText) | Should -Be (Get-Content -Raw (Join-Path $folder 'query-key'))
        # The store file, or a Get-ChildItem row, names the same receiver.
        (Get-Item (Join-Path $folder 'events.db') | Get-SobotReceiver).ProcessId | Should -Be $service.Id

        # What it returns is enough to connect the listening cmdlets.
        $emulator = Start-TestEmulator
        try {
            Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $r
            (Get-SobotConnection).ReceiverUri | Should -Be $r.QueryUrl
            @(Get-SobotEvent).Count | Should -Be 0
        }
        finally { Disconnect-Sobot; $emulator | Stop-SobotEmulator }

        $service.Kill(); $service.WaitForExit()
        (Get-SobotReceiver -Path $folder).State | Should -Be 'Stopped'
        { Get-SobotReceiver -Path (Join-Path $TestDrive 'no-receiver-here') -ErrorAction Stop } | Should -Throw -ErrorId 'SobotReceiverNotFound,SobotPS.Commands.GetSobotReceiverCommand'
    }
}

Describe 'Start-SobotReceiver' {
    It 'refuses a second receiver on the same SQLite file, naming the file and the PostgreSQL store' {
        $store = Join-Path $TestDrive 'one/events.db'
        $first = Start-SobotReceiver -Path $store
        try {
            $e = { Start-SobotReceiver -Path $store } | Should -Throw -ErrorId 'SobotReceiverStartFailed,SobotPS.Commands.StartSobotReceiverCommand' -PassThru
            $e.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $e.Exception.Message | Should -BeLike "The store $store is in use by another receiver (pid $($first.ProcessId))*PostgreSQL store*"
            $first.IsRunning | Should -BeTrue
        }
        finally { $first | Stop-SobotReceiver }
        # Stopped, the file serves the next receiver.
        Start-SobotReceiver -Path $store | Stop-SobotReceiver
    }

    It 'says which port is in use, in the receiver''s own words' {
        $taken = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $taken.Start()
        try {
            $port = $taken.LocalEndpoint.Port
            $e = { Start-SobotReceiver -Path (Join-Path $TestDrive 'port/events.db') -Port $port } | Should -Throw -ErrorId 'SobotReceiverStartFailed,SobotPS.Commands.StartSobotReceiverCommand' -PassThru
            $e.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $e.Exception.Message | Should -BeLike "Port $port is in use by another program*"
            $e.Exception.Message | Should -Not -Match '\n|   at '
        }
        finally { $taken.Stop() }
    }

    It 'says which folder it cannot use' {
        $blocker = Join-Path $TestDrive 'a-file'
        Set-Content $blocker ''
        $e = { Start-SobotReceiver -Path (Join-Path $blocker 'events.db') } | Should -Throw -ErrorId 'SobotReceiverStartFailed,SobotPS.Commands.StartSobotReceiverCommand' -PassThru
        $e.Exception.Message | Should -BeLike "*$blocker*"
    }

    It 'makes a new store folder private to its owner' {
        $folder = Join-Path $TestDrive 'private'
        Start-SobotReceiver -Path (Join-Path $folder 'events.db') | Stop-SobotReceiver
        (Get-Item $folder).UnixMode | Should -Be 'drwx------'
    }
}
