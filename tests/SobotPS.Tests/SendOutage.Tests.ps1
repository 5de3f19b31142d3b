# Sends while the webhook receiver is down: the alert still goes out, opt-outs read before the outage still hold,
# and a run that asked for certainty sends nothing. Emulator and receivers on loopback; the user's data folder in
# this file's temp dir (Common.ps1 sets XDG_DATA_HOME).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    function Get-DeadUri {
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
        [uri]"http://127.0.0.1:$port/"
    }

    # A data folder of its own for one test: the opt-out lists kept on disk live in SobotPS/optouts under it.
    function Use-DataFolder([string] $Name) {
        $env:XDG_DATA_HOME = Join-Path $TestDrive $Name
        Join-Path $env:XDG_DATA_HOME 'SobotPS/optouts'
    }

    function Send-Inbound($Emulator, [string] $From, [string] $Text) {
        $null = Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUri)/_emulator/inbound" -ContentType 'application/json' -Body (@{ from = $From; text = $Text } | ConvertTo-Json)
    }

    function Connect-Down([switch] $RequireOptOutList) {
        Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri `
            -ReceiverUri (Get-DeadUri) -ReceiverKey (ConvertTo-TestSecret 'a-query-key-nobody-can-check') -RequireOptOutList:$RequireOptOutList -WarningAction SilentlyContinue
    }

    $emulator = Start-TestEmulator
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
}

Describe 'Connect-Sobot while the receiver is down' {
    It 'connects to Sobot with a warning, and Test-SobotConnection reports Sobot and the receiver separately' {
        $null = Use-DataFolder 'connect'
        $dead = Get-DeadUri
        Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri `
            -ReceiverUri $dead -ReceiverKey (ConvertTo-TestSecret 'a-query-key-nobody-can-check') -WarningVariable w -WarningAction SilentlyContinue
        @($w).Count | Should -Be 1
        $w[0].Message | Should -BeLike "*$dead*could not be reached*Connected to Sobot without it*"

        $c = Get-SobotConnection
        $c.ReceiverState | Should -Be 'Unavailable'
        $c.ReceiverError | Should -BeLike '*could not be reached*'

        Test-SobotConnection -WarningAction SilentlyContinue | Should -BeTrue
        $t = Test-SobotConnection -Detailed
        $t.Sobot | Should -BeTrue
        $t.Receiver | Should -BeFalse
        $t.ReceiverError | Should -BeLike "*$dead*"
        ($t | Format-Table | Out-String) | Should -Match 'Receiver'
    }

    It 'connects from the environment, as a scheduled task does, when SOBOT_RECEIVER_URI points at a receiver that is down' {
        $null = Use-DataFolder 'environment'
        $saved = 'SOBOT_ACCESS_KEY', 'SOBOT_SECRET_KEY', 'SOBOT_BASE_URI', 'SOBOT_RECEIVER_URI', 'SOBOT_RECEIVER_KEY' | ForEach-Object { @{ Name = $_; Value = [Environment]::GetEnvironmentVariable($_) } }
        try {
            $env:SOBOT_ACCESS_KEY = $emulator.AccessKey; $env:SOBOT_SECRET_KEY = $emulator.SecretKey; $env:SOBOT_BASE_URI = $emulator.BaseUri
            $env:SOBOT_RECEIVER_URI = "$(Get-DeadUri)"; $env:SOBOT_RECEIVER_KEY = 'a-query-key-nobody-can-check'
            { Connect-Sobot -WarningAction SilentlyContinue } | Should -Not -Throw
            (Get-SobotConnection).ReceiverState | Should -Be 'Unavailable'
            $r = Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName hello_world -WarningAction SilentlyContinue
            $r.MessageId | Should -BeLike 'wamid.*'
        }
        finally { foreach ($v in $saved) { [Environment]::SetEnvironmentVariable($v.Name, $v.Value) } }
    }
}

Describe 'Sending while the receiver is down' {
    It 'sends with one warning when no opt-out list was ever kept, and checks no window (Sobot does)' {
        $folder = Use-DataFolder 'fresh'
        Connect-Down
        Open-ConversationWindow $emulator 919970585557   # the customer wrote; the receiver, being down, never saw it
        $r = @(Send-SobotTemplate -CustomerNumber 919970585556, 919970585557 -TemplateName hello_world -WarningVariable w -WarningAction SilentlyContinue)
        $r.Count | Should -Be 2
        @($w).Count | Should -Be 1
        $w[0].Message | Should -BeLike '*could not be reached*No opt-out list from it was ever kept*-RequireOptOutList*'
        $text = Send-SobotTextMessage -CustomerNumber 919970585557 -Message 'We are on it.' -WarningAction SilentlyContinue -ErrorVariable e -ErrorAction SilentlyContinue
        $e | Should -BeNullOrEmpty
        $text.MessageId | Should -BeLike 'wamid.*'
        Test-Path $folder | Should -BeFalse   # nothing was read, so nothing was kept
    }

    It 'refuses to send with -RequireOptOutList, or Connect-Sobot -RequireOptOutList, when no list was ever kept' {
        $null = Use-DataFolder 'strict'
        $before = @(Get-EmulatorMessage $emulator).Count
        Connect-Down
        { Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName hello_world -RequireOptOutList -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'SobotOptOutListUnavailable,SobotPS.Commands.SendSobotTemplateCommand' -ExpectedMessage '*could not be reached*Nothing was sent*'

        Connect-Down -RequireOptOutList
        (Get-SobotConnection).RequireOptOutList | Should -BeTrue
        $rows = 1..3 | ForEach-Object { [pscustomobject]@{ Phone = "91997058555$_" } }
        { $rows | Send-SobotTemplate -TemplateName hello_world -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'SobotOptOutListUnavailable,SobotPS.Commands.SendSobotTemplateCommand' -ExpectedMessage '*Connect-Sobot -RequireOptOutList*'
        @(Get-EmulatorMessage $emulator).Count | Should -Be $before

        # One run may say otherwise.
        $r = Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName hello_world -RequireOptOutList:$false -WarningAction SilentlyContinue
        $r.MessageId | Should -BeLike 'wamid.*'
    }

    Context 'with a list read before the outage' {
        BeforeAll {
            $folder = Use-DataFolder 'kept'
            $receiver = Start-SobotReceiver -Path (Join-Path $TestDrive 'outage.db')
            $listening = Start-TestEmulator -ArgumentList '--no-window', '--webhook-url', ($receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText)
            $key = $receiver.QueryKey | ConvertFrom-SecureString -AsPlainText
            Connect-Sobot -AccessKey $listening.AccessKey -SecretKey (ConvertTo-TestSecret $listening.SecretKey) -BaseUri $listening.BaseUri -Receiver $receiver

            # One customer says STOP; a daily run reads the list (and keeps it). Another number is put on it by hand.
            Send-Inbound $listening '919970580001' 'STOP'
            Wait-Until { Get-SobotOptOut -CustomerNumber 919970580001 }
            $null = Send-SobotTemplate -CustomerNumber 919970580001, 919970580002 -TemplateName hello_world -ErrorAction SilentlyContinue
            $added = Add-SobotOptOut -CustomerNumber '+91 99705 80003' -Reason 'asked by phone'

            Stop-Process -Id $receiver.ProcessId -Force
            Wait-Until { -not $receiver.IsRunning }
        }

        AfterAll {
            $receiver | Stop-SobotReceiver -ErrorAction SilentlyContinue
            $listening | Stop-SobotEmulator
        }

        It 'skips the numbers that opted out before it, and warns once, naming the outage and the list''s age' {
            $added.Change | Should -Be 'Added'
            $rows = '919970580001', '919970580002', '919970580003', '919970580004' | ForEach-Object { [pscustomobject]@{ Phone = $_ } }
            $r = @($rows | Send-SobotTemplate -TemplateName hello_world -SummaryVariable run -ErrorVariable skipped -ErrorAction SilentlyContinue -WarningVariable w -WarningAction SilentlyContinue)
            $run.Sent | Should -Be 2
            $run.Skipped | Should -Be 2
            ($r.CustomerNumber | Sort-Object) | Should -Be @('919970580002', '919970580004')
            @($skipped | Where-Object FullyQualifiedErrorId -like 'SobotOptedOut,*').Count | Should -Be 2
            @($w).Count | Should -Be 1
            $w[0].Message | Should -BeLike '*could not be reached*opt-out list read from it * ago (*UTC, 2 numbers)*'
            (Get-SobotConnection).ReceiverState | Should -Be 'Unavailable'
        }

        It 'sends with -RequireOptOutList too: a list kept on disk is a list' {
            $r = Send-SobotTemplate -CustomerNumber 919970580004 -TemplateName hello_world -RequireOptOutList -WarningAction SilentlyContinue
            $r.MessageId | Should -BeLike 'wamid.*'
            { Send-SobotTemplate -CustomerNumber 919970580003 -TemplateName hello_world -RequireOptOutList -WarningAction SilentlyContinue -ErrorAction Stop } |
                Should -Throw -ErrorId 'SobotOptedOut,SobotPS.Commands.SendSobotTemplateCommand'
        }

        It 'keeps the list owner-only (a 0600 file in a 0700 folder), with the time it was read and without the key' -Skip:$IsWindows {
            $files = @(Get-ChildItem -LiteralPath $folder -File)
            $files.Count | Should -Be 1
            (Get-Item -LiteralPath $folder).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
            $files[0].UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
            $text = Get-Content -Raw -LiteralPath $files[0].FullName
            $text.Contains($key) | Should -BeFalse
            $kept = $text | ConvertFrom-Json
            $kept.receiver | Should -Be "$($receiver.QueryUrl)"
            [DateTimeOffset]$kept.readAt | Should -BeLessOrEqual ([DateTimeOffset]::UtcNow)
            ($kept.optOuts.customerNumber | Sort-Object) | Should -Be @('919970580001', '919970580003')
        }
    }
}
