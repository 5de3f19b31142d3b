BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $accessKey = 'AK-sentinel-4c1d-access'
    $secretKey = 'SK-sentinel-99ff-secret'
    $emulator = Start-TestEmulator -ArgumentList '--access-key', $accessKey, '--secret-key', $secretKey
    $emulator.AccessKey = $accessKey
    $emulator.SecretKey = $secretKey
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
}

Describe 'Secrets' {
    It 'never appear in -Verbose, -Debug, errors, results or a transcript' {
        $transcript = Join-Path $TestDrive 'transcript.txt'
        Start-Transcript -Path $transcript
        try {
            $all = & {
                Connect-TestEmulator $emulator -Verbose -Debug
                Open-ConversationWindow $emulator 919970585556
                Send-SobotTextMessage -CustomerNumber 919970585556 -Message 'hello' -Verbose -Debug
                Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName payment_status -BodyParameter 1, 2 -Verbose -Debug
                Send-SobotTextMessage -CustomerNumber 919822012345 -Message 'outside window' -Verbose -Debug -ErrorAction Continue
                Get-SobotConnection
                Test-SobotConnection -Verbose
            } *>&1 | Out-String -Width 400
        }
        finally { Stop-Transcript }
        $all | Should -BeLike '*POST /message/ -> 200 in * ms (wamid.*'
        $all | Should -BeLike '*request body: {"customer_number":"919970585556"*'
        $all | Should -BeLike '*within 24 hours*'
        $everything = $all + (Get-Content -Raw $transcript)
        $everything | Should -Not -BeLike "*$accessKey*"
        $everything | Should -Not -BeLike "*$secretKey*"
        $everything | Should -Not -BeLike '*sentinel*'
    }

    It 'are not revealed by the objects a script can reach' {
        $c = Connect-TestEmulator $emulator -PassThru
        ($c | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue) | Should -Not -BeLike '*sentinel*'
        ($c | Format-List * -Force | Out-String) | Should -Not -BeLike '*sentinel*'
        ([System.Management.Automation.PSSerializer]::Serialize($c, 5)) | Should -Not -BeLike '*sentinel*'
    }

    It 'never appear in what a receiver outage says, nor in the opt-out list kept on disk' {
        $receiverKey = 'RK-sentinel-7e2a-receiver'
        $receiver = Start-SobotReceiver -Path (Join-Path $TestDrive 'secrets.db') -QueryKey (ConvertTo-TestSecret $receiverKey)
        try {
            $all = & {
                Connect-Sobot -AccessKey $accessKey -SecretKey (ConvertTo-TestSecret $secretKey) -BaseUri $emulator.BaseUri -ReceiverUri $receiver.QueryUrl -ReceiverKey (ConvertTo-TestSecret $receiverKey) -Verbose -Debug
                Stop-Process -Id $receiver.ProcessId -Force
                Wait-Until { -not $receiver.IsRunning }
                Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName hello_world -Verbose -Debug
                Test-SobotConnection -Detailed | Format-List
                Get-SobotConnection | Format-List
                Connect-Sobot -AccessKey $accessKey -SecretKey (ConvertTo-TestSecret $secretKey) -BaseUri $emulator.BaseUri -ReceiverUri $receiver.QueryUrl -ReceiverKey (ConvertTo-TestSecret $receiverKey) -Verbose -Debug
            } *>&1 | Out-String -Width 400
            $all | Should -BeLike '*could not be reached*'
            $kept = @(Get-ChildItem -LiteralPath (Join-Path $env:XDG_DATA_HOME 'SobotPS/optouts') -File)
            $kept.Count | Should -Be 1
            $everything = $all + (Get-Content -Raw -LiteralPath $kept[0].FullName)
            $everything | Should -Not -BeLike '*sentinel*'
        }
        finally { $receiver | Stop-SobotReceiver -ErrorAction SilentlyContinue }
    }
}
