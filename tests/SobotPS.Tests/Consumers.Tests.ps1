# Consumers from PowerShell: one reader per consumer at a time, and listing, rewinding and removing them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    function Send-Inbound([string] $Number, [string] $Text) {
        $null = Send-SobotEmulatorReply $emulator -CustomerNumber $Number -Text $Text
        Wait-Until { @(Get-SobotEvent -Type Inbound -CustomerNumber $Number | Where-Object Text -eq $Text).Count -eq 1 }
    }

    # Runs a command in a fresh pwsh connected to the receiver; returns its stdout (where -WhatIf writes).
    function Invoke-Pwsh([string] $Command) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        # The keys through the environment, as a scheduled task has them: a command line is visible to every user.
        $prelude = "Import-Module '$ModuleManifest'; Connect-Sobot; "
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $prelude + $Command)) { $psi.ArgumentList.Add($a) }
        $psi.Environment['SOBOT_ACCESS_KEY'] = $emulator.AccessKey
        $psi.Environment['SOBOT_SECRET_KEY'] = $emulator.SecretKey
        $psi.Environment['SOBOT_BASE_URI'] = $emulator.BaseUri
        $psi.Environment['SOBOT_RECEIVER_URI'] = "$($receiver.QueryUrl)"
        $psi.Environment['SOBOT_RECEIVER_KEY'] = $receiver.QueryKey | ConvertFrom-SecureString -AsPlainText
        $psi.RedirectStandardOutput = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        $out
    }

    $receiver = Start-SobotReceiver -Path (Join-Path $TestDrive 'events.db')
    $emulator = Start-TestEmulator -ArgumentList '--no-window', '--webhook-url', ($receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText)
    Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $receiver
    Send-Inbound 919970591001 'first ticket'
    Send-Inbound 919970591002 'second ticket'
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
    $receiver | Stop-SobotReceiver
}

Describe 'Get-SobotConsumer and Set-SobotConsumer' {
    It 'lists a consumer, rewinds it (after showing the move with -WhatIf) and moves it to the latest event' {
        $read = @(Receive-SobotMessage -Consumer rewind)
        $read.Text | Should -Be 'first ticket', 'second ticket'
        $c = Get-SobotConsumer rewind
        $c | Should -BeOfType ([Sobot.Client.Receiver.ReceiverConsumer])
        $c.Position | Should -Be $read[-1].Seq
        $c.Holder | Should -BeNullOrEmpty    # nobody reads it now
        (Get-SobotConsumer | Format-Table | Out-String) | Should -BeLike '*Name*Position*UpdatedAt*ReadBy*LeaseUntil*rewind*'
        (Get-SobotConsumer 'rew*').Name | Should -Be 'rewind'

        $plan = Invoke-Pwsh 'Set-SobotConsumer rewind -Position 0 -WhatIf'
        ($plan -replace '\s+', ' ') | Should -BeLike "*What if:*back, from $($c.Position) to 0*consumer 'rewind'*"
        (Get-SobotConsumer rewind).Position | Should -Be $c.Position
        Set-SobotConsumer rewind -Position 0
        (Get-SobotConsumer rewind).Position | Should -Be 0
        @(Receive-SobotMessage -Consumer rewind).Text | Should -Be 'first ticket', 'second ticket'

        Set-SobotConsumer rewind -Position 0
        $latest = Set-SobotConsumer rewind -Latest -PassThru
        $latest.Position | Should -BeGreaterOrEqual $read[-1].Seq
        @(Receive-SobotMessage -Consumer rewind).Count | Should -Be 0
        Get-SobotConsumer rewind | Set-SobotConsumer -Position 1 -PassThru | ForEach-Object Position | Should -Be 1
    }

    It 'says so for a consumer the receiver does not know' {
        Get-SobotConsumer no-such-job -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -Be 'SobotNotFound,SobotPS.Commands.GetSobotConsumerCommand'
        $missing[0].ToString() | Should -BeLike "*no consumer 'no-such-job'*"
        { Get-SobotConsumer 'bad name' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidInput,SobotPS.Commands.GetSobotConsumerCommand'
    }

    It 'completes -Name with the names the receiver keeps' {
        $null = Receive-SobotMessage -Consumer completing   # a consumer of its own, so this test needs no other
        (Get-SobotConsumer completing).Name | Should -Be 'completing'
        # The completer's room on a loaded machine is set for every file in Common.ps1.
        foreach ($line in 'Get-SobotConsumer compl', 'Set-SobotConsumer -Name compl', 'Remove-SobotConsumer compl') {
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'completing' -Because $line
        }
    }
}

Describe 'One reader per consumer (needs the receiver with leases)' {
    It 'refuses a second concurrent Receive-SobotMessage of a consumer, naming who reads it, and frees it when the first stops' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Receiver, $Emulator)
                    Import-Module $Manifest
                    Connect-Sobot -AccessKey $Emulator.AccessKey -SecretKey (ConvertTo-SecureString $Emulator.SecretKey -AsPlainText -Force) -BaseUri $Emulator.BaseUri -Receiver $Receiver
                    Receive-SobotMessage -Consumer helpdesk | ForEach-Object { Start-Sleep -Seconds 300 }   # a ticket system that hangs
                }).AddArgument($ModuleManifest).AddArgument($receiver).AddArgument($emulator)
            $null = $ps.BeginInvoke()
            Wait-Until { (Get-SobotConsumer helpdesk -ErrorAction SilentlyContinue).Holder }
            $held = Get-SobotConsumer helpdesk
            $held.Description | Should -Match "^$([regex]::Escape([Environment]::UserName))@.+ pid \d+$"
            $held.LeaseUntil | Should -BeGreaterThan ([DateTimeOffset]::UtcNow)

            $second = @(Receive-SobotMessage -Consumer helpdesk -ErrorVariable busy -ErrorAction SilentlyContinue)
            $second.Count | Should -Be 0
            @($busy).Count | Should -Be 1
            $busy[0].FullyQualifiedErrorId | Should -Be 'SobotConsumerBusy,SobotPS.Commands.ReceiveSobotMessageCommand'
            $busy[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
            $busy[0].ToString() | Should -BeLike "*$($held.Description)*"
            $busy[0].TargetObject | Should -Be 'helpdesk'
            Set-SobotConsumer helpdesk -Position 0 -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused[0].FullyQualifiedErrorId | Should -Be 'SobotConsumerBusy,SobotPS.Commands.SetSobotConsumerCommand'
            Remove-SobotConsumer helpdesk -Confirm:$false -ErrorVariable kept -ErrorAction SilentlyContinue
            $kept[0].FullyQualifiedErrorId | Should -Be 'SobotConsumerBusy,SobotPS.Commands.RemoveSobotConsumerCommand'

            $ps.Stop()   # Ctrl+C on the first reader: its lease is given back
            Wait-Until { -not (Get-SobotConsumer helpdesk -ErrorAction SilentlyContinue).Holder }   # a consumer that never moved is not listed once free
        }
        finally { $ps.Dispose() }
        # The first run never finished its pipeline: the messages are handed out again.
        @(Receive-SobotMessage -Consumer helpdesk).Text | Should -Be 'first ticket', 'second ticket'
        (Get-SobotConsumer helpdesk).Holder | Should -BeNullOrEmpty
    }

    It 'removes a consumer, after showing it with -WhatIf' {
        $null = Receive-SobotMessage -Consumer retired
        Remove-SobotConsumer retired -WhatIf
        (Get-SobotConsumer retired).Name | Should -Be 'retired'
        Get-SobotConsumer retired | Remove-SobotConsumer -Confirm:$false
        Get-SobotConsumer retired -ErrorVariable gone -ErrorAction SilentlyContinue
        $gone[0].FullyQualifiedErrorId | Should -Be 'SobotNotFound,SobotPS.Commands.GetSobotConsumerCommand'
        Remove-SobotConsumer retired -Confirm:$false -ErrorVariable again -ErrorAction SilentlyContinue
        $again[0].FullyQualifiedErrorId | Should -Be 'SobotNotFound,SobotPS.Commands.RemoveSobotConsumerCommand'
    }
}
