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

    It 'makes a number send STOP' {
        $a = Send-SobotEmulatorReply $emulator -CustomerNumber 919960123456 -Text STOP
        $a.payload[0].value.messages[0].text.body | Should -Be 'STOP'
        (Invoke-RestMethod "$($emulator.BaseUri)/_emulator/inbound").id | Should -Contain $a.id
    }
}
