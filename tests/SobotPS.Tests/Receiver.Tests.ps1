# Two-way, end to end on loopback: emulator -> webhook -> receiver -> listening cmdlets.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # Replies as the customer from another thread, after a delay, so the reply lands while a wait runs.
    function Start-DelayedReply($Emulator, [string] $MessageId, [string] $ButtonText, [string] $Text, [string] $CustomerNumber, [int] $DelayMs = 700) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Uri, $Body, $DelayMs)
                Start-Sleep -Milliseconds $DelayMs
                Invoke-RestMethod -Method Post -Uri "$Uri/_emulator/reply" -ContentType 'application/json' -Body $Body
            }).AddArgument($Emulator.BaseUri).AddArgument((@{ messageId = $MessageId; buttonText = $ButtonText; text = $Text; customerNumber = $CustomerNumber }.GetEnumerator() |
                    Where-Object Value | ForEach-Object -Begin { $h = @{} } -Process { $h[$_.Key] = $_.Value } -End { $h } | ConvertTo-Json -Compress)).AddArgument($DelayMs)
        [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
    }

    # The receiver has stored this customer's message: what a test checks next does not race the webhook.
    function Wait-Stored([string] $Number, [string] $Text) {
        Wait-Until { @(Get-SobotEvent -Type Inbound -CustomerNumber $Number | Where-Object { $_.Text -eq $Text -or $_.ButtonText -eq $Text }).Count -ge 1 }
    }

    $store = Join-Path $TestDrive 'events.db'
    $receiver = Start-SobotReceiver -Path $store
    $webhook = $receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText
    $emulator = Start-TestEmulator -ArgumentList '--no-window', '--webhook-url', $webhook, '--status-delay-ms', 'sent=20,delivered=40,read=60'
    Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $receiver
    # Free-form messages go only to customers who wrote within 24 hours, and the module checks that first.
    Open-ReceiverWindow $emulator '919970585556', '919970585557', '919970585558', '919970585559', '919970588001', '919970588002'
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
    $receiver | Stop-SobotReceiver
}

Describe 'Start-SobotReceiver and Connect-Sobot -Receiver' {
    It 'returns the URLs and keeps the secrets out of sight' {
        $receiver.IsRunning | Should -BeTrue
        $receiver.WebhookUrl | Should -BeOfType [securestring]
        $receiver.QueryKey | Should -BeOfType [securestring]
        $receiver.WebhookUrlMasked | Should -Match '/webhook/\*\*\*\*.{4}$'
        $token = ($webhook -split '/')[-1]
        ($receiver | Format-List * | Out-String) | Should -Not -BeLike "*$token*"
        $c = Get-SobotConnection
        $c.ReceiverUri | Should -Be $receiver.QueryUrl
        $c.ReceiverKey | Should -Be '****'
        Test-SobotConnection | Should -BeTrue
    }

    It 'refuses a wrong receiver key with its own error' {
        { Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -ReceiverUri $receiver.QueryUrl -ReceiverKey (ConvertTo-TestSecret 'wrong-key-wrong-key-wrong-key') -PassThru } |
            Should -Throw -ErrorId 'SobotReceiverUnauthorized,SobotPS.Commands.ConnectSobotCommand'
    }

    It 'says how to connect one when no receiver is connected' {
        $plain = Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -PassThru
        Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $receiver
        { Get-SobotEvent -Connection $plain } | Should -Throw -ErrorId 'SobotNoReceiver,SobotPS.Commands.GetSobotEventCommand' -ExpectedMessage '*Start-SobotReceiver*'
    }
}

Describe 'Wait-SobotReply' {
    It 'returns the button the customer pressed, with the question attached (the README line)' {
        $q = Send-SobotButtonMessage -CustomerNumber 919970585556 -Message 'Restart web01?' -Button Yes, No
        $reply = Start-DelayedReply $emulator -MessageId $q.MessageId -ButtonText Yes
        $a = $q | Wait-SobotReply -TimeoutSec 30
        $reply.PowerShell.Dispose()
        $a.ButtonText | Should -Be 'Yes'
        $a.QuestionMessageId | Should -Be $q.MessageId
        $a.Question.MessageId | Should -Be $q.MessageId
        $a | Should -BeOfType ([Sobot.Client.Webhooks.SobotInboundMessage])
    }

    It 'finds an answer that arrived between the send and the start of the wait' {
        $q = Send-SobotTextMessage -CustomerNumber 919970585557 -Message 'OK to reboot?'
        $null = Send-SobotEmulatorReply $emulator -MessageId $q.MessageId -Text 'yes'
        Wait-Stored 919970585557 'yes'   # the answer is in the store before the wait starts
        ($q | Wait-SobotReply -TimeoutSec 30).Text | Should -Be 'yes'
    }

    It 'lets the WhatsApp reply context decide which question is answered' {
        $first = Send-SobotTextMessage -CustomerNumber 919970585558 -Message 'Question one'
        $second = Send-SobotTextMessage -CustomerNumber 919970585558 -Message 'Question two'
        # The answer quotes the FIRST question: without its context the newest-question rule would give it to the second.
        $null = Send-SobotEmulatorReply $emulator -MessageId $first.MessageId -Text 'answer to one' -Context
        $a = $first, $second | Wait-SobotReply -First 1 -TimeoutSec 30
        $a.QuestionMessageId | Should -Be $first.MessageId
        $a.ReplyToMessageId | Should -Be $first.MessageId
    }

    It 'ends with the first of three on-call numbers to answer, with -First 1' {
        $oncall = '919970500001', '919970500002', '919970500003'
        $sent = $oncall | ForEach-Object { [pscustomobject]@{ CustomerNumber = $_ } } | Send-SobotTemplate -TemplateName hello_world
        @($sent).Count | Should -Be 3
        $second = $sent | Where-Object CustomerNumber -eq '919970500002'
        $reply = Start-DelayedReply $emulator -MessageId $second.MessageId -Text 'on it'
        $a = $sent | Wait-SobotReply -First 1 -TimeoutSec 30 -ErrorVariable late
        $reply.PowerShell.Dispose()
        @($a).Count | Should -Be 1
        $a.From | Should -Be '919970500002'
        # Had it waited on for the other two, their -TimeoutSec would have ended it with a timeout error for each.
        $late | Should -BeNullOrEmpty
    }

    It 'counts only -Choice answers, and gives one timeout error per unanswered question, its send result as target' {
        $q = Send-SobotButtonMessage -CustomerNumber 919970585559 -Message 'Proceed?' -Button Yes, No
        $null = Send-SobotEmulatorReply $emulator -MessageId $q.MessageId -Text 'what?'
        Wait-Stored 919970585559 'what?'   # stored before the short wait starts, so the wait must see it and pass it over
        $a = $q | Wait-SobotReply -Choice Yes, No -TimeoutSec 2 -ErrorVariable late -ErrorAction SilentlyContinue -Verbose 4>&1
        $verbose = @($a | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        @($a | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
        $verbose.Message -join "`n" | Should -BeLike "*'what?' is not one of Yes, No*"
        @($late).Count | Should -Be 1
        $late[0].FullyQualifiedErrorId | Should -Be 'SobotReplyTimeout,SobotPS.Commands.WaitSobotReplyCommand'
        $late[0].TargetObject.MessageId | Should -Be $q.MessageId
    }

    It 'stops on Ctrl+C while it waits, long before its timeout' {
        $ps = [powershell]::Create()
        try {
            # The wait writes progress once a second while it waits: the first record says it is waiting.
            $null = $ps.AddScript("Import-Module '$ModuleManifest'; `$ProgressPreference = 'Continue'; Connect-Sobot -AccessKey demo-access-key -SecretKey (ConvertTo-SecureString demo-secret-key -AsPlainText -Force) -BaseUri '$($emulator.BaseUri)' -Receiver `$args[0]; Wait-SobotReply -CustomerNumber 919970000999 -TimeoutSec 600").AddArgument($receiver)
            $handle = $ps.BeginInvoke()
            Wait-Until { $ps.Streams.Progress.Count -ge 1 -or $handle.IsCompleted }
            $handle.IsCompleted | Should -BeFalse
            $stopping = $ps.BeginStop($null, $null)
            # Stopped (not Completed): Ctrl+C ended it, not the 600 s timeout.
            $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60)) | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Wait-SobotDelivery and Get-SobotMessageStatus' {
    It 'waits until read, and the latest status only moves forward' {
        $m = Send-SobotTextMessage -CustomerNumber 919970585556 -Message 'Backup failed'
        $s = $m | Wait-SobotDelivery -Until Read -TimeoutSec 30
        $s.Status | Should -Be 'read'
        $s.MessageId | Should -Be $m.MessageId
        (Get-SobotMessageStatus -MessageId $m.MessageId).Status | Should -Be 'read'
        ($m | Get-SobotMessageStatus).Status | Should -Be 'read'
    }

    It 'reports a failed message as an error with its reason, and a status not reached in time as another' {
        $null = Set-SobotEmulatorKnob $emulator @{ failed_rate = 1 }
        try {
            $m = Send-SobotTextMessage -CustomerNumber 919970585556 -Message 'Will fail'
            $null = $m | Wait-SobotDelivery -Until Delivered -TimeoutSec 30 -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -Be 'SobotDeliveryFailed,SobotPS.Commands.WaitSobotDeliveryCommand'
            $failed[0].ToString() | Should -BeLike '*131026 Message undeliverable*'
        }
        finally { $null = Set-SobotEmulatorKnob $emulator @{ failed_rate = 0 } }
        $null = Wait-SobotDelivery -MessageId 'wamid.never-sent' -TimeoutSec 1 -ErrorVariable late -ErrorAction SilentlyContinue
        $late[0].FullyQualifiedErrorId | Should -Be 'SobotDeliveryTimeout,SobotPS.Commands.WaitSobotDeliveryCommand'
    }

    It 'has no status for a message it never heard of' {
        Get-SobotMessageStatus -MessageId wamid.unknown -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Get-SobotEvent and Receive-SobotMessage' {
    It 'returns stored events as typed objects, filtered, and waits for new ones with -Wait' {
        $null = Send-SobotEmulatorReply $emulator -CustomerNumber 919970585600 -Text 'hello there'
        Wait-Stored 919970585600 'hello there'
        $mine = @(Get-SobotEvent -Type Inbound -CustomerNumber 919970585600)
        $mine.Count | Should -Be 1
        $mine[0].Text | Should -Be 'hello there'
        $mine[0].Seq | Should -BeGreaterThan 0
        $last = (Get-SobotEvent | Select-Object -Last 1).Seq
        $reply = Start-DelayedReply $emulator -CustomerNumber 919970585601 -Text 'later'
        # -Wait goes on until -TimeoutSec; Select-Object -First 1 ends it once 'later' is there.
        $new = @(Get-SobotEvent -After $last -Type Inbound -Wait -TimeoutSec 60 | Where-Object Text -eq 'later' | Select-Object -First 1)
        $reply.PowerShell.Dispose()
        $new.Text | Should -Be 'later'
    }

    It 'hands each message to a consumer once, and again when the pipeline failed' {
        $null = Send-SobotEmulatorReply $emulator -CustomerNumber 919970585700 -Text 'ticket please'
        Wait-Stored 919970585700 'ticket please'
        { Receive-SobotMessage -Consumer failing | ForEach-Object { throw 'ticket system down' } } | Should -Throw
        @(Receive-SobotMessage -Consumer failing).Text | Should -Contain 'ticket please'
        @(Receive-SobotMessage -Consumer failing).Count | Should -Be 0
    }

    It 'completes -Consumer with the names the receiver keeps' {
        $null = Receive-SobotMessage -Consumer completing   # a consumer of its own, so this test needs no other
        (Get-SobotConsumer completing).Name | Should -Be 'completing'
        # The completer's room on a loaded machine is set for every file in Common.ps1.
        $line = 'Receive-SobotMessage -Consumer compl'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'completing'
    }
}

Describe 'The receiver of a session' {
    It 'stops when the PowerShell that started it ends, unless detached' {
        # One session starts an attached receiver and a -Detach one, prints both process ids, and ends.
        $script = "Import-Module '$ModuleManifest'; (Start-SobotReceiver -Path '$(Join-Path $TestDrive 'child.db')').ProcessId; (Start-SobotReceiver -Path '$(Join-Path $TestDrive 'detached.db')' -Detach).ProcessId"
        $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $script)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $attachedPid, $detachedPid = [int[]]($p.StandardOutput.ReadToEnd().Trim() -split '\s+')
        $p.WaitForExit()
        try {
            $detachedPid | Should -Not -BeNullOrEmpty
            Wait-Until { -not (Get-Process -Id $attachedPid -ErrorAction SilentlyContinue) } -TimeoutSec 60
            # The attached one is gone, so the session's end has been acted on: the detached one still runs.
            Get-Process -Id $detachedPid -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
            (Get-SobotReceiver | Where-Object ProcessId -eq $detachedPid).Detached | Should -BeTrue
            # And not by luck of timing: the detached one was never told to watch the session's process.
            if ($IsLinux) { (Get-Content -Raw "/proc/$detachedPid/cmdline") -split "`0" | Should -Not -Contain '--exit-with-pid' }
        }
        finally { if ($detachedPid) { Stop-Process -Id $detachedPid -Force -ErrorAction SilentlyContinue } }
    }
}
