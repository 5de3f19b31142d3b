# Waits an on-call team can trust, driven as a user would: the emulator as the customers, a receiver storing their
# webhooks, and forged webhooks posted to the receiver as an attacker would.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # Replies as the customer from another thread, after a delay, so the reply lands while a wait runs.
    function Start-DelayedReply($Emulator, [hashtable] $Reply, [int] $DelayMs = 700) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Uri, $Body, $DelayMs)
                Start-Sleep -Milliseconds $DelayMs
                Invoke-RestMethod -Method Post -Uri "$Uri/_emulator/reply" -ContentType 'application/json' -Body $Body
            }).AddArgument($Emulator.BaseUri).AddArgument(($Reply | ConvertTo-Json -Compress)).AddArgument($DelayMs)
        [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
    }

    # A customer's message posted straight to the receiver's webhook, the way anyone who has the URL can.
    function Send-ForgedInbound([string] $From, [string] $Text, [string] $Quoting, [long] $Timestamp = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()) {
        $message = [ordered]@{ from = $From; id = "wamid.forged$([guid]::NewGuid().ToString('N'))"; timestamp = "$Timestamp"; type = 'text'; text = @{ body = $Text } }
        if ($Quoting) { $message.context = @{ from = '918788000000'; id = $Quoting } }
        $body = ConvertTo-Json -Depth 10 -Compress @(@{ field = 'messages'; value = @{ messaging_product = 'whatsapp'; metadata = @{ display_phone_number = '918788000000' }
                    contacts = @(@{ profile = @{ name = 'Mallory' }; wa_id = $From }); messages = @($message) } })
        $null = Invoke-RestMethod -Method Post -Uri $webhook -ContentType 'application/json' -Body $body
        Wait-Until { @(Get-SobotEvent -Type Inbound -CustomerNumber $From | Where-Object MessageId -eq $message.id).Count -eq 1 }
    }

    function Wait-Stored([string] $Number, [string] $Text) {
        Wait-Until { @(Get-SobotEvent -Type Inbound -CustomerNumber $Number | Where-Object { $_.Text -eq $Text -or $_.ButtonText -eq $Text }).Count -ge 1 }
    }

    $receiver = Start-SobotReceiver -Path (Join-Path $TestDrive 'events.db')
    $webhook = $receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText
    $emulator = Start-TestEmulator -ArgumentList '--no-window', '--webhook-url', $webhook
    Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $receiver
    Open-ReceiverWindow $emulator '919970590001', '919970590002', '919970590003', '919970590004', '919970590005'
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
    $receiver | Stop-SobotReceiver
}

# Which question a reply answers is the client's rule (ReplyWaiterTests: another number's quote, no context, written
# before, numbers as typed); here only what needs the real receiver's order of arrival and the cmdlets' binding.
Describe 'Which question a reply answers' {
    It 'never takes a reply stored before the question was sent, whatever timestamp it carries' {
        $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        Send-ForgedInbound -From 919970590004 -Text 'forged, a minute ahead' -Timestamp ($now + 60)
        Send-ForgedInbound -From 919970590004 -Text 'forged, a year ahead' -Timestamp ($now + 365 * 86400)
        $q = Send-SobotTextMessage -CustomerNumber 919970590004 -Message 'Approve the change?'
        $reply = Start-DelayedReply $emulator @{ customerNumber = '919970590004'; text = 'real' }
        $answer = $q | Wait-SobotReply -TimeoutSec 30
        $reply.PowerShell.Dispose()
        $answer.Text | Should -Be 'real'
    }

    It 'takes numbers as people type them' {
        $null = Send-SobotEmulatorReply $emulator -CustomerNumber 919970590005 -Text 'typed with spaces'
        Wait-Stored 919970590005 'typed with spaces'
        (Get-SobotEvent -Type Inbound -CustomerNumber '+91 99705-90005').Text | Should -Contain 'typed with spaces'
        (Get-SobotEvent -Type Inbound -CustomerNumber '+91 99705-90005' | Measure-Object).Count | Should -Be (Get-SobotEvent -Type Inbound -CustomerNumber 919970590005 | Measure-Object).Count
        $since = [DateTimeOffset]::UtcNow
        $reply = Start-DelayedReply $emulator @{ customerNumber = '919970590005'; text = 'answer to a typed number' }
        $answer = Wait-SobotReply -CustomerNumber '+91 99705 90005' -Since $since -TimeoutSec 30
        $reply.PowerShell.Dispose()
        $answer.Text | Should -Be 'answer to a typed number'
        Get-SobotEvent -CustomerNumber 'not a number' -ErrorVariable bad -ErrorAction SilentlyContinue
        $bad[0].FullyQualifiedErrorId | Should -Be 'InvalidCustomerNumber,SobotPS.Commands.GetSobotEventCommand'
    }

    It 'finds the events of several numbers in one query (needs the receiver with several customerNumber)' {
        $null = Send-SobotEmulatorReply $emulator -CustomerNumber 919970590001 -Text 'several one'
        $null = Send-SobotEmulatorReply $emulator -CustomerNumber 919970590002 -Text 'several two'
        Wait-Stored 919970590002 'several two'
        $found = Get-SobotEvent -Type Inbound -CustomerNumber '+91 99705-90001', '919970590002'
        $found.Text | Should -Contain 'several one'
        $found.Text | Should -Contain 'several two'
        $found.From | Sort-Object -Unique | Should -Be '919970590001', '919970590002'
    }
}

Describe 'Waits during a receiver outage' {
    It 'ends a wait whose receiver was killed with SobotReceiverUnavailable, naming its URL, not with a timeout' {
        $own = Start-SobotReceiver -Path (Join-Path $TestDrive 'killed.db')
        $c = Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $own -PassThru
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Connection)
                    Import-Module $Manifest
                    $ProgressPreference = 'Continue'   # the wait's progress, once a second, says it is waiting
                    $q = [pscustomobject]@{ CustomerNumber = '919970590001'; MessageId = 'wamid.question'; SubmittedAt = [DateTimeOffset]::UtcNow }
                    $null = $q | Wait-SobotReply -Connection $Connection -TimeoutSec 15 -ErrorAction SilentlyContinue -ErrorVariable late
                    $late
                }).AddArgument($ModuleManifest).AddArgument($c)
            $handle = $ps.BeginInvoke()
            Wait-Until { $ps.Streams.Progress.Count -ge 1 -or $handle.IsCompleted }   # the wait is under way
            $handle.IsCompleted | Should -BeFalse   # killed before its deadline, so the outage is what ends it
            Stop-Process -Id $own.ProcessId -Force
            $errors = @($ps.EndInvoke($handle))
        }
        finally { $ps.Dispose() }
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'SobotReceiverUnavailable,SobotPS.Commands.WaitSobotReplyCommand'
        $errors[0].ToString() | Should -BeLike "*919970590001*$($own.QueryUrl)*unreachable for the last*"
        $errors[0].TargetObject.MessageId | Should -Be 'wamid.question'
        $errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*Test-SobotConnection*'
        ($errors[0] | Out-String) | Should -Not -BeLike "*$($own.QueryKey | ConvertFrom-SecureString -AsPlainText)*"

        Wait-SobotDelivery -Connection $c -MessageId wamid.sent -TimeoutSec 2 -ErrorVariable undelivered -ErrorAction SilentlyContinue
        $undelivered[0].FullyQualifiedErrorId | Should -Be 'SobotReceiverUnavailable,SobotPS.Commands.WaitSobotDeliveryCommand'
        $undelivered[0].TargetObject | Should -Be 'wamid.sent'
    }

    It 'uses a receiver that comes back during the wait and returns the answer' {
        $port = Get-FreePort; $queryPort = Get-FreePort
        $path = Join-Path $TestDrive 'restarted.db'
        $first = Start-SobotReceiver -Path $path -Port $port -QueryPort $queryPort
        $url = $first.WebhookUrl | ConvertFrom-SecureString -AsPlainText
        $emu = Start-TestEmulator -ArgumentList '--no-window', '--webhook-url', $url
        $c = Connect-Sobot -AccessKey $emu.AccessKey -SecretKey (ConvertTo-TestSecret $emu.SecretKey) -BaseUri $emu.BaseUri -Receiver $first -PassThru
        $q = Send-SobotTemplate -Connection $c -CustomerNumber 919970590001 -TemplateName hello_world
        $ps = [powershell]::Create()
        try {
            # Its verbose lines say when it finds the receiver not answering, and answering again.
            $null = $ps.AddScript({ param($Manifest, $Connection, $Question) Import-Module $Manifest; $ProgressPreference = 'Continue'; $Question | Wait-SobotReply -Connection $Connection -TimeoutSec 120 -Verbose }).
                AddArgument($ModuleManifest).AddArgument($c).AddArgument($q)
            $handle = $ps.BeginInvoke()
            Wait-Until { $ps.Streams.Progress.Count -ge 1 -or $handle.IsCompleted }   # the wait is under way
            Stop-Process -Id $first.ProcessId -Force
            Wait-Until { @($ps.Streams.Verbose | Where-Object Message -like '*not answering*').Count -ge 1 -or $handle.IsCompleted } -TimeoutSec 60   # the wait met the outage
            $second = Start-SobotReceiver -Path $path -Port $port -QueryPort $queryPort
            ($second.WebhookUrl | ConvertFrom-SecureString -AsPlainText) -eq $url | Should -BeTrue -Because 'a receiver restarted on the same store keeps its webhook URL (its token)'   # compared, never printed
            $null = $q | Send-SobotEmulatorReply $emu -Text 'still here'
            $answer = $ps.EndInvoke($handle)
            $answer.Text | Should -Be 'still here'
            $answer.QuestionMessageId | Should -Be $q.MessageId
            $ps.Streams.Error.Count | Should -Be 0
            @($ps.Streams.Verbose | Where-Object Message -like '*not answering*').Count | Should -BeGreaterOrEqual 1
            @($ps.Streams.Verbose | Where-Object Message -like '*answers again*').Count | Should -BeGreaterOrEqual 1
        }
        finally {
            $ps.Dispose()
            $emu | Stop-SobotEmulator
            if ($second) { $second | Stop-SobotReceiver }
        }
    }

    It 'shows the time left, and the receiver state while it does not answer, as progress' {
        $gone = Start-SobotReceiver -Path (Join-Path $TestDrive 'gone.db')
        $dead = Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $gone -PassThru
        Stop-Process -Id $gone.ProcessId -Force
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Connection)
                    Import-Module $Manifest
                    $ProgressPreference = 'Continue'
                    # 10 s: progress comes once a second, so a machine that holds this up for seconds still shows some.
                    $null = Wait-SobotReply -Connection $Connection -CustomerNumber 919970590001 -TimeoutSec 10 -ErrorAction SilentlyContinue -ErrorVariable late
                    $late
                }).AddArgument($ModuleManifest).AddArgument($dead)
            $errors = @($ps.Invoke())
            $status = @($ps.Streams.Progress | Where-Object RecordType -eq Processing).StatusDescription
        }
        finally { $ps.Dispose() }
        $status | Should -Not -BeNullOrEmpty
        $status -join "`n" | Should -BeLike '*1 of 1 question(s) unanswered; * left. The receiver at http://127.0.0.1:* has not answered for *; asking again.*'
        $errors[0].FullyQualifiedErrorId | Should -Be 'SobotReceiverUnavailable,SobotPS.Commands.WaitSobotReplyCommand'
    }
}

# While the one place stays held, a wait is turned away each time it asks and reads the reply only at its deadline.
# So each wait below gets 20 s: the reply, posted once the wait says it was turned away, must be stored by then,
# and each test spends those 20 s.
Describe 'A receiver at its --max-waits' {
    BeforeAll {
        # A receiver of its own that lets one long poll wait, started as a launcher does: secrets from its handshake line.
        $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path (Split-Path $ModuleManifest) 'receiver/Sobot.Receiver.dll'), '--handshake', '--ingress-urls', 'http://127.0.0.1:0',
                '--query-urls', 'http://127.0.0.1:0', '--store', (Join-Path $TestDrive 'busy.db'), '--max-waits', '1', '--log-level', 'none')) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $busy = [System.Diagnostics.Process]::Start($psi)
        $ready = $busy.StandardOutput.ReadLine() | ConvertFrom-Json
        $busyConnection = Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri `
            -ReceiverUri $ready.queryUrl -ReceiverKey (ConvertTo-TestSecret $ready.queryKey) -PassThru

        # The one place is held by another script's poll, for a number that never writes; turned away, it asks again.
        $holder = [powershell]::Create()
        $null = $holder.AddScript({
                param($Uri, $Key)
                while ($true) {
                    try { $null = Invoke-RestMethod -Uri "$Uri/v1/events?customerNumber=919000000001&waitMs=30000" -Headers @{ 'x-receiver-key' = $Key } }
                    catch { Start-Sleep -Seconds 1 }
                }
            }).AddArgument($ready.queryUrl).AddArgument($ready.queryKey)
        $held = $holder.BeginInvoke()
        Wait-Until {
            try { $null = Invoke-RestMethod -Uri "$($ready.queryUrl)/v1/events?customerNumber=919000000002&waitMs=1" -Headers @{ 'x-receiver-key' = $ready.queryKey }; $false }
            catch { [int]$_.Exception.Response.StatusCode -eq 429 }
        }

        function Send-BusyInbound([string] $From, [string] $Text) {
            $body = ConvertTo-Json -Depth 10 -Compress @(@{ field = 'messages'; value = @{ messages = @(@{ from = $From; id = "wamid.busy$([guid]::NewGuid().ToString('N'))"
                                timestamp = "$([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())"; type = 'text'; text = @{ body = $Text } }) } })
            $null = Invoke-RestMethod -Method Post -Uri $ready.webhookUrl -ContentType 'application/json' -Body $body
        }

        # Runs a wait in another runspace and, once its verbose line says the receiver turned it away (429), sends the
        # customer's message: the message arrives while the wait is kept out, whatever the machine's load.
        function Invoke-TurnedAwayWait([scriptblock] $Wait, [string] $From, [string] $Text) {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript($Wait).AddArgument($ModuleManifest).AddArgument($busyConnection)
                $handle = $ps.BeginInvoke()
                Wait-Until { @($ps.Streams.Verbose | Where-Object Message -like '*(429)*').Count -ge 1 -or $handle.IsCompleted }
                Send-BusyInbound -From $From -Text $Text
                [pscustomobject]@{ Output = @($ps.EndInvoke($handle)); Verbose = @($ps.Streams.Verbose); Error = @($ps.Streams.Error) }
            }
            finally { $ps.Dispose() }
        }
    }

    AfterAll {
        $holder.Stop(); $holder.Dispose()
        $busy.Kill(); $busy.WaitForExit()
    }

    It 'turns a poll over the bound away with 429; Wait-SobotReply waits it out, says so, and still returns the reply' {
        $run = Invoke-TurnedAwayWait { param($Manifest, $Connection) Import-Module $Manifest; Wait-SobotReply -Connection $Connection -CustomerNumber 919970590009 -TimeoutSec 20 -Verbose } 919970590009 'yes'
        $run.Error | Should -BeNullOrEmpty
        @($run.Verbose | Where-Object Message -like 'The receiver has as many long polls waiting as it allows (429); the wait asks again in 1 s.').Count | Should -Be 1
        $run.Output.Count | Should -Be 1
        $run.Output[0].Text | Should -Be 'yes'
    }

    It 'lets Get-SobotEvent -Wait wait out the 429 too and return what arrived' {
        $run = Invoke-TurnedAwayWait { param($Manifest, $Connection) Import-Module $Manifest; Get-SobotEvent -Connection $Connection -CustomerNumber 919970590010 -Wait -TimeoutSec 20 -Verbose } 919970590010 'later'
        $run.Error | Should -BeNullOrEmpty
        @($run.Verbose | Where-Object Message -like '*(429)*').Count | Should -Be 1
        $run.Output.Text | Should -Be 'later'
    }
}
