BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Start-SobotEmulator -Knob and the reply helpers' {
    BeforeAll {
        $emulator = Start-SobotEmulator -Knob @{ FailedRate = 0.25; 'status-delay-ms' = 'sent=10,read=20'; no_window = $true; ReadRate = 0.5; FailPaths = '/api/customer', '/unused' } -ArgumentList '--access-key', 'ak-knob-test'
        Connect-TestEmulator $emulator
    }
    AfterAll {
        Disconnect-Sobot
        $emulator | Stop-SobotEmulator
    }

    It 'passes knobs by name, flag or JSON field, and reports the keys the emulator accepts' {
        $knobs = Invoke-RestMethod "$($emulator.BaseUri)/_emulator/faults"
        $knobs.failed_rate | Should -Be 0.25
        $knobs.read_rate | Should -Be 0.5
        $knobs.no_window | Should -BeTrue
        $knobs.status_delay_ms.sent | Should -Be 10
        $knobs.status_delay_ms.read | Should -Be 20
        $knobs.fail_paths | Should -Be @('/api/customer', '/unused')
        $emulator.AccessKey | Should -Be 'ak-knob-test'
    }

    It 'changes knobs while running' {
        $r = Set-SobotEmulatorKnob $emulator @{ failed_rate = 0; status_delay_ms = 0; fail_paths = @() }
        $r.fail_paths | Should -BeNullOrEmpty
        $r.failed_rate | Should -Be 0
        $r.status_delay_ms.delivered | Should -Be 0
    }

    It 'makes a customer press a button of a sent message' {
        $q = Send-SobotButtonMessage -CustomerNumber 919970585556 -Message 'Clear the cache?' -Button Yes, No
        $a = $q | Send-SobotEmulatorReply $emulator -ButtonText Yes -Context
        $m = $a.payload[0].value.messages[0]
        $m.type | Should -Be 'interactive'
        $m.interactive.button_reply.title | Should -Be 'Yes'
        $m.context.id | Should -Be $q.MessageId
        $a.customerNumber | Should -Be '919970585556'
    }
}

Describe 'Secrets kept off the emulator''s command line' {
    It 'hands a receiver''s webhook URL and the keys to the emulator through its environment, where ps cannot read them' {
        if (-not (Test-Path '/proc/self/cmdline')) { Set-ItResult -Skipped -Because 'this system has no /proc to read a command line from'; return }
        $receiver = Start-SobotReceiver -Path (Join-Path $TestDrive 'emulator-secrets.db')
        $webhook = $receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText
        $token = ($webhook -split '/')[-1]
        $emulator = Start-SobotEmulator -Knob @{ WebhookUrl = $webhook; NoWindow = $true } -ArgumentList '--access-key', 'ak-kept-off-the-line', '--secret-key', 'sk-kept-off-the-line'
        try {
            $commandLine = [IO.File]::ReadAllText("/proc/$($emulator.Process.Id)/cmdline") -replace "`0", ' '
            $commandLine | Should -BeLike '*Sobot.Emulator.dll*'
            $commandLine | Should -Not -BeLike "*$token*"
            $commandLine | Should -Not -BeLike '*kept-off-the-line*'
            $emulator.AccessKey | Should -Be 'ak-kept-off-the-line'
            $emulator.SecretKey | Should -Be 'sk-kept-off-the-line'
            # And they took effect: the keys are accepted, the webhooks reach the receiver.
            Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $receiver
            $m = Send-SobotTextMessage -CustomerNumber 919970592001 -Message 'Webhook check' -SkipWindowCheck
            Wait-Until { (Get-SobotMessageStatus -MessageId $m.MessageId -ErrorAction SilentlyContinue).Status -eq 'read' }
        }
        finally {
            Disconnect-Sobot
            $emulator | Stop-SobotEmulator
            $receiver | Stop-SobotReceiver
        }
    }

    It 'names in --help the environment variable of each secret knob, the ones the helper hands over that way' {
        $help = & dotnet (Join-Path $RepoRoot 'out/emulator/Sobot.Emulator.dll') --help
        $variables = [regex]::Matches($help -join "`n", 'SOBOT_EMULATOR_[A-Z_]+').Value | Sort-Object -Unique
        $variables | Should -Be @('SOBOT_EMULATOR_ACCESS_KEY', 'SOBOT_EMULATOR_SECRET_KEY', 'SOBOT_EMULATOR_WEBHOOK_URL')
        $helper = & (Get-Module SobotEmulator) { $script:SecretFlags } | ForEach-Object { 'SOBOT_EMULATOR_' + $_.TrimStart('-').Replace('-', '_').ToUpperInvariant() } | Sort-Object
        $helper | Should -Be $variables
    }
}
