BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'ConvertFrom-SobotWebhook' {
    It 'turns the documented inbound payload into a typed message' {
        $body = '[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"918788000000"},"contacts":[{"profile":{"name":"John"},"wa_id":"919960123456"}],"messages":[{"from":"919960123456","id":"wamid.X1","timestamp":"1692945450","type":"text","text":{"body":"Hi"}}]}}]'
        $m = $body | ConvertFrom-SobotWebhook
        $m | Should -BeOfType Sobot.Client.Webhooks.SobotInboundMessage
        $m.From | Should -Be '919960123456'
        $m.Name | Should -Be 'John'
        $m.Text | Should -Be 'Hi'
        $m.Timestamp | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds(1692945450))
    }

    It 'reads status updates and a multi-line file piped from Get-Content' {
        $file = Join-Path $TestDrive 'status.json'
        @'
[
  {"id": "wamid.S", "status": "read", "timestamp": "1692947521"},
  {"id": "wamid.S", "status": "sent", "timestamp": "1692947519"}
]
'@ | Set-Content $file
        $s = Get-Content $file | ConvertFrom-SobotWebhook | Sort-Object Timestamp
        $s.Status | Should -Be @('sent', 'read')
        $s[0] | Should -BeOfType Sobot.Client.Webhooks.SobotMessageStatus
    }

    It 'passes unknown shapes through with their JSON and reports text that is not JSON' {
        (ConvertFrom-SobotWebhook -Json '{"something":"new"}').RawJson | Should -Be '{"something":"new"}'
        ConvertFrom-SobotWebhook -Json '<html>oops' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidInput,SobotPS.Commands.ConvertFromSobotWebhookCommand'
    }

    It 'reads what the emulator posts to --webhook-url' {
        $listening = Start-LoopbackListener '/hook/'
        $listener = $listening.Http
        $emulator = Start-TestEmulator -ArgumentList '--webhook-url', $listening.Uri
        try {
            Connect-TestEmulator $emulator
            $sent = Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName hello_world
            $events = foreach ($i in 1..3) {
                $wait = $listener.GetContextAsync()
                if (-not $wait.Wait(10000)) { throw 'No webhook arrived within 10 s.' }
                $ctx = $wait.Result
                $reader = [System.IO.StreamReader]::new($ctx.Request.InputStream)
                $reader.ReadToEnd() | ConvertFrom-SobotWebhook
                $ctx.Response.StatusCode = 200
                $ctx.Response.Close()
            }
            ($events | Sort-Object Timestamp).Status | Should -Be @('sent', 'delivered', 'read')
            $events.MessageId | Sort-Object -Unique | Should -Be $sent.MessageId
        }
        finally {
            Disconnect-Sobot
            $emulator | Stop-SobotEmulator
            $listener.Stop()
        }
    }
}
