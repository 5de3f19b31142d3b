# The receiver's settings as a script gives them to Connect-Sobot: its query key follows the Sobot keys' rule, and its
# webhook URL given where the query URL belongs (an easy mix-up: both come back from Start-SobotReceiver) never prints
# the token it ends with.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $receiver = Start-SobotReceiver -Path (Join-Path $TestDrive 'events.db')
    $webhook = $receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText
    $token = ($webhook -split '/')[-1]
    $queryKey = $receiver.QueryKey | ConvertFrom-SecureString -AsPlainText
    $emulator = Start-TestEmulator -ArgumentList '--no-window'
    $sobot = @{ AccessKey = $emulator.AccessKey; SecretKey = (ConvertTo-TestSecret $emulator.SecretKey); BaseUri = $emulator.BaseUri }

    # Runs Connect-Sobot with every stream captured; returns the error it stopped with and all it wrote, as text.
    function Invoke-Connect([hashtable] $Parameters) {
        $err = $null
        $streams = try { Connect-Sobot @sobot @Parameters -Verbose -Debug -ErrorAction Stop *>&1 } catch { $err = $_ }
        [pscustomobject]@{
            Error = $err
            Text  = (@($streams | Out-String) + @($err | Format-List * -Force | Out-String) + @($err.Exception | Format-List * -Force | Out-String) + @("$($err.TargetObject)")) -join "`n"
        }
    }

    # Sets receiver environment variables for one block, and removes them after.
    function Use-ReceiverEnvironment([string] $Uri, [string] $Key, [scriptblock] $Block) {
        $env:SOBOT_RECEIVER_URI, $env:SOBOT_RECEIVER_KEY = $Uri, $Key
        try { & $Block }
        finally { Remove-Item Env:SOBOT_RECEIVER_URI, Env:SOBOT_RECEIVER_KEY -ErrorAction SilentlyContinue }
    }
}

AfterAll {
    Disconnect-Sobot -ErrorAction SilentlyContinue
    $emulator | Stop-SobotEmulator
    $receiver | Stop-SobotReceiver
}

Describe 'The receiver''s query key, held to the rule of the Sobot keys' {
    It 'refuses a key with a line break inside before anything is sent, naming -ReceiverKey and not the key' {
        $fake = Start-FakeReceiver -Status 200 -Message 'ok'
        try {
            $r = Invoke-Connect @{ ReceiverUri = $fake.Uri; ReceiverKey = (ConvertTo-TestSecret "key-0123456789abcdefghij`r`nX-Injected: 1") }
            $r.Error.FullyQualifiedErrorId | Should -Be 'SobotInvalidKey,SobotPS.Commands.ConnectSobotCommand'
            $r.Error.Exception.Message | Should -BeLike '-ReceiverKey: *control character*'
            $r.Text | Should -Not -BeLike '*X-Injected*'
            $r.Text | Should -Not -BeLike '*key-0123456789*'
            $fake.Requests.Value | Should -Be 0
        }
        finally { Stop-FakeReceiver $fake }
    }

    It 'refuses one from SOBOT_RECEIVER_KEY, naming the variable' {
        Use-ReceiverEnvironment $receiver.QueryUrl "$queryKey`tX" {
            $r = Invoke-Connect @{}
            $r.Error.FullyQualifiedErrorId | Should -Be 'SobotInvalidKey,SobotPS.Commands.ConnectSobotCommand'
            $r.Error.Exception.Message | Should -BeLike 'The environment variable SOBOT_RECEIVER_KEY: *'
            $r.Text | Should -Not -BeLike "*$queryKey*"
        }
    }

    It 'trims a key read with its line break, says so, and uses it' {
        $c = Connect-Sobot @sobot -ReceiverUri $receiver.QueryUrl -ReceiverKey (ConvertTo-TestSecret "$queryKey`n") -PassThru -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -BeLike '-ReceiverKey: *whitespace or a line break around it*trimmed*'
        (Test-SobotConnection -Connection $c -Detailed).Receiver | Should -BeTrue
        Use-ReceiverEnvironment $receiver.QueryUrl "  $queryKey`r`n" {
            $c = Connect-Sobot @sobot -PassThru -WarningVariable w -WarningAction SilentlyContinue
            "$w" | Should -BeLike 'The environment variable SOBOT_RECEIVER_KEY: *trimmed*'
            (Test-SobotConnection -Connection $c -Detailed).Receiver | Should -BeTrue
        }
    }
}

Describe 'The webhook URL given as the receiver''s query URL' {
    It 'says which URL goes where, with the token masked in the error and in every stream' {
        $r = Invoke-Connect @{ ReceiverUri = $webhook; ReceiverKey = $receiver.QueryKey }
        $r.Error.FullyQualifiedErrorId | Should -Be 'SobotReceiverUriIsWebhookUrl,SobotPS.Commands.ConnectSobotCommand'
        $message = $r.Error.Exception.Message
        $message | Should -BeLike "-ReceiverUri: *webhook/``*``*``*``*$($token.Substring($token.Length - 4)) is the receiver's webhook URL*Sobot portal*"
        $message | Should -BeLike '*-ReceiverUri takes that query URL: QueryUrl of what Start-SobotReceiver or Get-SobotReceiver returns*'
        $r.Text | Should -Not -BeLike "*$token*"
        Get-SobotConnection | Where-Object { "$($_.ReceiverUri)" -like "*$token*" } | Should -BeNullOrEmpty
    }

    It 'says the same of SOBOT_RECEIVER_URI, without the token' {
        Use-ReceiverEnvironment $webhook $queryKey {
            $r = Invoke-Connect @{}
            $r.Error.FullyQualifiedErrorId | Should -Be 'SobotReceiverUriIsWebhookUrl,SobotPS.Commands.ConnectSobotCommand'
            $r.Error.Exception.Message | Should -BeLike 'The environment variable SOBOT_RECEIVER_URI: *SOBOT_RECEIVER_URI takes that query URL*'
            $r.Text | Should -Not -BeLike "*$token*"
        }
    }

    It 'masks the token of a webhook URL behind a proxy, over plain http to another host, or given as -BaseUri' {
        foreach ($p in @{ ReceiverUri = "https://hooks.example.com/sobot/webhook/$token"; ReceiverKey = $receiver.QueryKey },
            @{ ReceiverUri = "http://hooks.example.com/webhook/$token"; ReceiverKey = $receiver.QueryKey }) {
            $r = Invoke-Connect $p
            $r.Error.FullyQualifiedErrorId | Should -Be 'SobotReceiverUriIsWebhookUrl,SobotPS.Commands.ConnectSobotCommand'
            $r.Text | Should -Not -BeLike "*$token*"
        }
        $r = try { Connect-Sobot -AccessKey a -SecretKey (ConvertTo-TestSecret s) -BaseUri "http://hooks.example.com/webhook/$token" -ErrorAction Stop } catch { $_ }
        $r.FullyQualifiedErrorId | Should -Be 'SobotInsecureBaseUri,SobotPS.Commands.ConnectSobotCommand'
        ($r | Format-List * -Force | Out-String) + $r.TargetObject | Should -Not -BeLike "*$token*"
    }

    It 'never shows the token once connected the right way: the connection, its test and the receiver' {
        $c = Connect-Sobot @sobot -Receiver $receiver -PassThru -Verbose 4>&1 | Out-String
        $c | Should -Not -BeLike "*$token*"
        (Get-SobotConnection | Format-List * | Out-String) | Should -Not -BeLike "*$token*"
        (Test-SobotConnection -Detailed | Format-List * | Out-String) | Should -Not -BeLike "*$token*"
        (Get-SobotReceiver | Format-List * | Out-String) | Should -Not -BeLike "*$token*"
    }
}
