BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $emulator = Start-TestEmulator -ArgumentList '--access-key', 'ak-test-0001-WXYZ', '--secret-key', 'sk-test-secret-9876'
    $emulator.AccessKey = 'ak-test-0001-WXYZ'
    $emulator.SecretKey = 'sk-test-secret-9876'
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
}

Describe 'The module manifest' {
    It 'loads in Desktop and Core editions from PowerShell 5.1 and exports its cmdlets explicitly' {
        $m = Test-ModuleManifest $ModuleManifest
        $m.PowerShellVersion | Should -Be ([version]'5.1')
        $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $expected = @(
            'Add-SobotCustomer', 'Connect-Sobot', 'ConvertFrom-SobotWebhook', 'Disconnect-Sobot', 'Get-SobotConnection', 'Get-SobotCustomer',
            'Get-SobotTemplate', 'Invoke-SobotApi', 'New-SobotListRow', 'New-SobotListSection', 'New-SobotProductSection', 'New-SobotTemplate',
            'Send-SobotButtonMessage', 'Send-SobotDocumentMessage', 'Send-SobotImageMessage', 'Send-SobotListMessage', 'Send-SobotLocationMessage',
            'Send-SobotProductMessage', 'Send-SobotStickerMessage', 'Send-SobotTemplate', 'Send-SobotTextMessage', 'Send-SobotVideoMessage',
            'Set-SobotCustomer', 'Sync-SobotTemplate', 'Test-SobotConnection', 'Get-SobotJournal',
            'Start-SobotReceiver', 'Stop-SobotReceiver', 'Get-SobotReceiver', 'Get-SobotEvent', 'Receive-SobotMessage', 'Wait-SobotReply', 'Wait-SobotDelivery',
            'Get-SobotMessageStatus', 'Get-SobotCampaignReport', 'Get-SobotConversationWindow', 'Get-SobotOptOut', 'Add-SobotOptOut',
            'Remove-SobotOptOut', 'Get-SobotConsumer', 'Set-SobotConsumer', 'Remove-SobotConsumer') | Sort-Object
        $m.ExportedCmdlets.Keys | Sort-Object | Should -Be $expected
        (Get-Command -Module SobotPS).Name | Sort-Object | Should -Be $expected
    }

    It 'takes its version from Directory.Build.props, in the manifest and every assembly we build' {
        $props = [xml](Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props'))
        $version = [version]($props.Project.PropertyGroup.SobotPSVersion | Where-Object { $_ } | Select-Object -First 1)
        (Test-ModuleManifest $ModuleManifest).Version | Should -Be $version
        foreach ($dll in 'SobotPS.dll', 'Sobot.Client.dll') {
            [Reflection.AssemblyName]::GetAssemblyName((Join-Path (Split-Path $ModuleManifest) $dll)).Version.ToString(3) | Should -Be $version.ToString(3)
        }
        $data = (Test-ModuleManifest $ModuleManifest).PrivateData.PSData
        $data.Tags | Should -Contain 'WhatsApp'
        $data.ProjectUri | Should -Not -BeNullOrEmpty
        $data.LicenseUri | Should -Not -BeNullOrEmpty
        $data.ReleaseNotes | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $RepoRoot 'CHANGELOG.md') | Should -BeTrue
        Test-Path (Join-Path $RepoRoot 'LICENSE') | Should -BeTrue
    }
}

Describe 'Connect-Sobot' {
    AfterEach { Disconnect-Sobot }

    It 'connects with an access key and a SecureString secret' {
        $c = Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -PassThru
        $c | Should -BeOfType SobotPS.SobotConnection
        $c.BaseUri | Should -Be ([uri]"$($emulator.BaseUri)/")
        Test-SobotConnection | Should -BeTrue
    }

    It 'connects with a PSCredential (user name = access key, password = secret)' {
        $cred = [pscredential]::new($emulator.AccessKey, (ConvertTo-TestSecret $emulator.SecretKey))
        Connect-Sobot -Credential $cred -BaseUri $emulator.BaseUri
        Test-SobotConnection | Should -BeTrue
    }

    It 'reads SOBOT_ACCESS_KEY, SOBOT_SECRET_KEY and SOBOT_BASE_URI when given no keys, as a scheduled task would' {
        $env:SOBOT_ACCESS_KEY = $emulator.AccessKey
        $env:SOBOT_SECRET_KEY = $emulator.SecretKey
        $env:SOBOT_BASE_URI = $emulator.BaseUri
        try {
            Connect-Sobot
            (Get-SobotConnection).BaseUri | Should -Be ([uri]"$($emulator.BaseUri)/")
            Test-SobotConnection | Should -BeTrue
        }
        finally {
            Remove-Item Env:SOBOT_ACCESS_KEY, Env:SOBOT_SECRET_KEY, Env:SOBOT_BASE_URI
        }
    }

    It 'says which keys are missing when there are none' {
        Remove-Item Env:SOBOT_ACCESS_KEY, Env:SOBOT_SECRET_KEY -ErrorAction SilentlyContinue
        { Connect-Sobot -BaseUri $emulator.BaseUri } | Should -Throw -ErrorId 'SobotMissingKeys,SobotPS.Commands.ConnectSobotCommand' -ExpectedMessage '*SOBOT_ACCESS_KEY*'
    }

    It 'stops with a terminating error that never echoes rejected keys' {
        $err = $null
        try { Connect-Sobot -AccessKey 'wrong-access-4242' -SecretKey (ConvertTo-TestSecret 'wrong-secret-7777') -BaseUri $emulator.BaseUri }
        catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'SobotUnauthorized,SobotPS.Commands.ConnectSobotCommand'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -BeLike '*rejected the access key and secret key*'
        # The error's position line quotes the user's own command; what SobotPS wrote must not hold the keys.
        $text = $err.Exception.ToString() + "$($err.ErrorDetails)" + "$($err.TargetObject)" + $err.CategoryInfo.ToString()
        $text | Should -Not -BeLike '*wrong-access-4242*'
        $text | Should -Not -BeLike '*wrong-secret-7777*'
        Get-SobotConnection | Should -BeNullOrEmpty
    }

    It 'refuses plain http to a host that is not loopback, before sending anything' {
        { Connect-Sobot -AccessKey a -SecretKey (ConvertTo-TestSecret s) -BaseUri 'http://api.sobot.in' } |
            Should -Throw -ErrorId 'SobotInsecureBaseUri,SobotPS.Commands.ConnectSobotCommand'
    }

    It 'refuses an unknown default region' {
        { Connect-TestEmulator $emulator -DefaultRegion 'QQ' } | Should -Throw -ErrorId 'SobotInvalidRegion,SobotPS.Commands.ConnectSobotCommand'
    }

    It 'fails clearly when nothing listens at the base URI' {
        { Connect-Sobot -AccessKey a -SecretKey (ConvertTo-TestSecret s) -BaseUri 'http://127.0.0.1:1' -MaximumRetryCount 1 } |
            Should -Throw -ErrorId 'SobotConnectFailed,SobotPS.Commands.ConnectSobotCommand' -ExpectedMessage '*connection failed*'
    }
}

Describe 'Get-SobotConnection, Test-SobotConnection and Disconnect-Sobot' {
    It 'shows base URI, the access key masked to its last 4 characters, region and connected-at, never the secret' {
        Connect-TestEmulator $emulator -DefaultRegion IN
        $c = Get-SobotConnection
        $c.AccessKey | Should -Be '****WXYZ'
        $c.DefaultRegion | Should -Be 'IN'
        $c.ConnectedAt | Should -BeOfType [DateTimeOffset]
        $shown = ($c | Format-List * | Out-String) + ($c | Format-Table | Out-String) + ($c | ConvertTo-Json -Depth 4) + "$c"
        $shown | Should -Not -BeLike '*ak-test-0001*'
        $shown | Should -Not -BeLike '*sk-test-secret-9876*'
        $c.PSObject.Properties.Name | Should -Not -Contain 'SecretKey'
    }

    It 'returns $false when not connected or after disconnecting' {
        Connect-TestEmulator $emulator
        Disconnect-Sobot
        Get-SobotConnection | Should -BeNullOrEmpty
        Test-SobotConnection | Should -BeFalse
        { Send-SobotTextMessage -CustomerNumber 919970585556 -Message hi } | Should -Throw -ErrorId 'SobotNotConnected,SobotPS.Commands.SendSobotTextMessageCommand'
    }

    It 'returns $false when the keys stop working' {
        $other = Start-TestEmulator
        try {
            $c = Connect-TestEmulator $other -PassThru
            Test-SobotConnection -Connection $c | Should -BeTrue
            # A new key pair made in the portal: the connection's keys are refused from now on.
            $null = Invoke-RestMethod -Method Post "$($other.BaseUri)/_emulator/keys" -ContentType application/json -Body '{"access_key":"rotated-access","secret_key":"rotated-secret"}'
            Test-SobotConnection -Connection $c | Should -BeFalse
            (Get-EmulatorRequest $other | Select-Object -Last 1).status | Should -Be 401
        }
        finally { $other | Stop-SobotEmulator }
    }
}

Describe 'Several connections' {
    It 'sends through the connection given with -Connection, not the default' {
        $second = Start-TestEmulator
        try {
            Connect-TestEmulator $emulator
            $c2 = Connect-TestEmulator $second -PassThru
            Connect-TestEmulator $emulator   # the default goes back to the first emulator; $c2 stays usable
            Reset-Emulator $emulator
            $r = Send-SobotTemplate -Connection $c2 -CustomerNumber 919970585556 -TemplateName hello_world
            $r.MessageId | Should -BeLike 'wamid.*'
            (Get-EmulatorMessage $second).Count | Should -Be 1
            (Get-EmulatorMessage $emulator).Count | Should -Be 0
        }
        finally { $second | Stop-SobotEmulator }
    }

    It 'keeps the default connection per runspace and works from ForEach-Object -Parallel with -Connection' {
        Reset-Emulator $emulator
        $c = Connect-TestEmulator $emulator -PassThru
        $manifest = $ModuleManifest
        $results = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:manifest
            $own = Get-SobotConnection   # a new runspace has no default connection
            Send-SobotTemplate -Connection $using:c -CustomerNumber "91997058555$_" -TemplateName hello_world |
                Add-Member -NotePropertyName HadDefault -NotePropertyValue ($null -ne $own) -PassThru
        }
        $results.Count | Should -Be 4
        $results.HadDefault | Should -Not -Contain $true
        (Get-EmulatorMessage $emulator).Count | Should -Be 4
    }
}

Describe 'Networks people have' {
    It 'sends every call through -Proxy' {
        # The emulator doubles as the proxy: it answers the absolute-form requests a proxy receives,
        # while the base URI names a port where nothing listens.
        $proxy = Start-TestEmulator
        try {
            $c = Connect-Sobot -AccessKey $proxy.AccessKey -SecretKey (ConvertTo-TestSecret $proxy.SecretKey) -BaseUri 'http://127.0.0.1:9' -Proxy $proxy.BaseUri -PassThru
            $r = Send-SobotTemplate -Connection $c -CustomerNumber 919970585556 -TemplateName hello_world
            $r.MessageId | Should -BeLike 'wamid.*'
            (Get-EmulatorMessage $proxy).id | Should -Be $r.MessageId
            { Connect-Sobot -AccessKey a -SecretKey (ConvertTo-TestSecret s) -BaseUri $proxy.BaseUri -ProxyCredential ([pscredential]::new('u', (ConvertTo-TestSecret p))) } |
                Should -Throw -ExpectedMessage '*-ProxyCredential goes with -Proxy*'
        }
        finally {
            Disconnect-Sobot
            $proxy | Stop-SobotEmulator
        }
    }

    It 'warns each time -SkipCertificateCheck is used, and names SobotPS and its version in the User-Agent' {
        $c = Connect-TestEmulator $emulator -PassThru
        $null = Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -SkipCertificateCheck -WarningVariable w -WarningAction SilentlyContinue
        $w.Count | Should -Be 1
        "$($w[0])" | Should -BeLike '*certificate is not checked*'
        $version = (Test-ModuleManifest $ModuleManifest).Version
        $log = Invoke-RestMethod "$($emulator.BaseUri)/_emulator/requests"
        ($log | Select-Object -Last 1).user_agent | Should -Be "SobotPS/$($version.ToString(3))"
        Disconnect-Sobot
    }
}

Describe 'Views and completion' {
    It 'completes file paths for -Path and -JournalPath, and enum values' {
        $dir = Join-Path $TestDrive 'complete'
        $null = New-Item -ItemType Directory $dir
        $null = New-Item (Join-Path $dir 'campaign.journal'), (Join-Path $dir 'templates.json')
        Push-Location $dir
        try {
            foreach ($line in 'Sync-SobotTemplate -Path templ', 'Get-SobotJournal -Path camp', 'Send-SobotTextMessage -JournalPath camp') {
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.Count | Should -BeGreaterThan 0 -Because $line
            }
            $line = 'Get-SobotTemplate -Status Appr'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'Approved'
            $line = 'Connect-Sobot -DefaultRegion I'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'IN'
        }
        finally { Pop-Location }
    }
}
