BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $emulator = Start-TestEmulator
    Connect-TestEmulator $emulator -DefaultRegion IN
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
}

Describe 'Free-form sends' {
    BeforeEach { Reset-Emulator $emulator }

    Describe 'Send-SobotTextMessage' {
        It 'sends the documented text body and returns one typed result' {
            Open-ConversationWindow $emulator 919970585556
            $r = Send-SobotTextMessage -CustomerNumber '+91 99705-85556' -CustomerName 'Asha Patil' -Message 'Your ticket *#4711* is closed.'
            $r | Should -BeOfType SobotPS.SobotMessageResult
            $r.MessageId | Should -BeLike 'wamid.*'
            $r.Status | Should -Be 'submitted'
            $r.CustomerNumber | Should -Be '919970585556'
            $r.CustomerName | Should -Be 'Asha Patil'
            $r.MessageType | Should -Be 'text'
            $r.TemplateName | Should -BeNullOrEmpty
            $r.SubmittedAt | Should -BeOfType [DateTimeOffset]
            $sent = Get-EmulatorMessage $emulator
            $sent.Count | Should -Be 1
            $sent[0].id | Should -Be $r.MessageId
            ($sent[0].body | ConvertTo-Json -Compress) | Should -Be '{"customer_number":"919970585556","customer_name":"Asha Patil","type":"text","message":"Your ticket *#4711* is closed."}'
        }

        It 'stamps SubmittedAt when the request went out, not when Sobot answered: a quick reply counts from it' {
            Open-ConversationWindow $emulator 919970585556
            # Sobot answers a second after the request: the customer may have answered by then.
            Set-EmulatorFault $emulator @{ latency_ms = 1000 }
            try {
                $before = [DateTimeOffset]::Now
                $r = Send-SobotTextMessage -CustomerNumber 919970585556 -Message 'Restart web01?'
                $after = [DateTimeOffset]::Now
            }
            finally { Set-EmulatorFault $emulator @{ latency_ms = 0 } }
            $r.SubmittedAt | Should -BeGreaterOrEqual $before
            $r.SubmittedAt | Should -BeLessOrEqual $after.AddMilliseconds(-900)
        }

        It 'completes a national number with -DefaultRegion and uses the number as the name when none is given' {
            Open-ConversationWindow $emulator 919970585556
            $r = Send-SobotTextMessage -CustomerNumber '09970585556' -Message 'hi'
            $r.CustomerNumber | Should -Be '919970585556'
            (Get-EmulatorMessage $emulator)[0].body.customer_name | Should -Be '919970585556'
        }

        It 'binds Text/Body/Mobile/Name aliases from pipeline objects by property name' {
            Open-ConversationWindow $emulator 919970585556
            Open-ConversationWindow $emulator 447911123456
            $rows = @(
                [pscustomobject]@{ Mobile = '+91 99705 85556'; Name = 'Asha'; Text = 'one' }
                [pscustomobject]@{ customer_number = '+44 7911 123456'; customer_name = 'John'; Body = 'two' }
            )
            $r = $rows | Send-SobotTextMessage
            $r.CustomerName | Sort-Object | Should -Be @('Asha', 'John')
            (Get-EmulatorMessage $emulator).body.message | Sort-Object | Should -Be @('one', 'two')
        }

        It 'refuses more than 4096 characters, naming the field and the limit, and sends nothing' {
            Open-ConversationWindow $emulator 919970585556
            Send-SobotTextMessage -CustomerNumber 919970585556 -Message ('x' * 4096) | Should -Not -BeNullOrEmpty
            $r = Send-SobotTextMessage -CustomerNumber 919970585556 -Message ('x' * 4097) -ErrorVariable err -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'InvalidInput,SobotPS.Commands.SendSobotTextMessageCommand'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -BeLike "*'message'*4097*4096*"
            (Get-EmulatorMessage $emulator).Count | Should -Be 1
        }

        It "reports the 24-hour rule with Sobot's own message" {
            Send-SobotTextMessage -CustomerNumber 919822012345 -Message 'hi' -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'SobotBadRequest,SobotPS.Commands.SendSobotTextMessageCommand'
            $err[0].Exception.Message | Should -BeLike '*within 24 hours*'
            $err[0].TargetObject | Should -Be '919822012345'
        }

        It 'sends nothing with -WhatIf' {
            Open-ConversationWindow $emulator 919970585556
            $r = Send-SobotTextMessage -CustomerNumber 919970585556 -Message 'hi' -WhatIf
            $r | Should -BeNullOrEmpty
            (Get-EmulatorMessage $emulator).Count | Should -Be 0
        }
    }

    Describe 'Send-SobotImageMessage' {
        BeforeEach { Open-ConversationWindow $emulator 919970585556 }

        It 'infers the MIME type from the extension' {
            $r = Send-SobotImageMessage -CustomerNumber 919970585556 -Url 'https://cdn.example.com/p/photo.JPG?v=2' -Caption 'New stock'
            $r.MessageType | Should -Be 'image'
            $body = (Get-EmulatorMessage $emulator)[0].body
            $body.mime_type | Should -Be 'image/jpeg'
            $body.url | Should -Be 'https://cdn.example.com/p/photo.JPG?v=2'
            $body.caption | Should -Be 'New stock'
        }

        It 'sends no caption key when no caption is given' {
            $null = Send-SobotImageMessage -CustomerNumber 919970585556 -Url 'https://cdn.example.com/logo.png'
            $body = @(Get-EmulatorMessage $emulator)[-1].body
            $body.url | Should -Be 'https://cdn.example.com/logo.png'   # the message is there, so the next line has a body to look at
            $body.PSObject.Properties.Name | Should -Not -Contain 'caption'
        }

        It 'refuses types the contract does not allow and captions over 1024 characters' {
            Send-SobotImageMessage -CustomerNumber 919970585556 -Url 'https://cdn.example.com/anim.gif' -ErrorVariable e1 -ErrorAction SilentlyContinue
            Send-SobotImageMessage -CustomerNumber 919970585556 -Url 'https://cdn.example.com/a.png' -MimeType image/webp -ErrorVariable e2 -ErrorAction SilentlyContinue
            Send-SobotImageMessage -CustomerNumber 919970585556 -Url 'https://cdn.example.com/a.png' -Caption ('c' * 1025) -ErrorVariable e3 -ErrorAction SilentlyContinue
            Send-SobotImageMessage -CustomerNumber 919970585556 -Url 'not a url' -ErrorVariable e4 -ErrorAction SilentlyContinue
            $e1[0].Exception.Message | Should -BeLike '*image/jpeg, image/png*'
            $e2[0].Exception.Message | Should -BeLike "*'mime_type'*image/webp*"
            $e3[0].Exception.Message | Should -BeLike "*'caption'*1024*"
            $e4[0].Exception.Message | Should -BeLike "*'url'*"
            @($e1 + $e2 + $e3 + $e4).FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'InvalidInput,SobotPS.Commands.SendSobotImageMessageCommand'
            (Get-EmulatorMessage $emulator).Count | Should -Be 0
        }
    }

    Describe 'Bad rows in a pipeline' {
        It 'writes one error per bad row, with the row as target, and sends the good rows' {
            Open-ConversationWindow $emulator 919970585556
            Open-ConversationWindow $emulator 447911123456
            $rows = @(
                [pscustomobject]@{ Mobile = '919970585556'; Message = 'first' }
                [pscustomobject]@{ Mobile = '12345'; Message = 'bad number' }
                [pscustomobject]@{ Mobile = '447911123456'; Message = ('x' * 5000) }
                [pscustomobject]@{ Mobile = '919822012345'; Message = 'no window' }
                [pscustomobject]@{ Mobile = '447911123456'; Message = 'last' }
            )
            $results = $rows | Send-SobotTextMessage -ErrorVariable errs -ErrorAction SilentlyContinue
            $results.Count | Should -Be 2
            $results.InputObject.Message | Sort-Object | Should -Be @('first', 'last')
            $errs.Count | Should -Be 3
            $errs.FullyQualifiedErrorId | Sort-Object | Should -Be @(
                'InvalidCustomerNumber,SobotPS.Commands.SendSobotTextMessageCommand'
                'InvalidInput,SobotPS.Commands.SendSobotTextMessageCommand'
                'SobotBadRequest,SobotPS.Commands.SendSobotTextMessageCommand')
            [object]::ReferenceEquals($errs[0].TargetObject.PSObject.BaseObject, $rows[1].PSObject.BaseObject) | Should -BeTrue
            $errs[2].TargetObject.Mobile | Should -Be '919822012345'
            (Get-EmulatorMessage $emulator).body.message | Sort-Object | Should -Be @('first', 'last')
        }

        It 'puts only SobotMessageResult objects on the output stream' {
            Open-ConversationWindow $emulator 919970585556
            $out = 1..3 | ForEach-Object { [pscustomobject]@{ Number = '919970585556'; Text = "m$_" } } | Send-SobotTextMessage -Verbose 4>$null
            $out.Count | Should -Be 3
            $out | ForEach-Object { $_ | Should -BeOfType SobotPS.SobotMessageResult }
        }

        It 'prints results as a table with the default view' {
            Open-ConversationWindow $emulator 919970585556
            $text = Send-SobotTextMessage -CustomerNumber 919970585556 -Message hi | Out-String -Width 120
            $text | Should -Match 'CustomerNumber\s+CustomerName\s+Message\s+Status\s+MessageId'
            $text | Should -Match '919970585556\s+919970585556\s+text\s+submitted\s+wamid\.'
        }
    }

    Describe 'Several numbers, -Debug and completion' {
        It 'sends one row per number given to -CustomerNumber, and one per piped row as before' {
            Open-ConversationWindow $emulator 919970585556
            Open-ConversationWindow $emulator 919970585557
            $r = @(Send-SobotTextMessage -CustomerNumber '+91 99705-85556', 919970585557, 'not a number' -Message 'Standing by.' -SummaryVariable run -ErrorVariable bad -ErrorAction SilentlyContinue)
            ($r.CustomerNumber | Sort-Object) | Should -Be @('919970585556', '919970585557')
            $run.Total | Should -Be 3
            $run.Failed | Should -Be 1
            $bad[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCustomerNumber,*'
            $bad[0].TargetObject | Should -Be 'not a number'
            $piped = @([pscustomobject]@{ Phone = '919970585556' }, [pscustomobject]@{ Phone = '919970585557' } | Send-SobotTextMessage -Message 'Again.')
            $piped.Count | Should -Be 2
        }

        It 'never stops a send (or a disconnect) with -Debug, in a -File run that cannot prompt (stdin closed), and shows the bodies and the warnings' {
            Open-ConversationWindow $emulator 919970585556
            $script = Join-Path $TestDrive 'debug-alone.ps1'
            @'
param($BaseUri, $Module)
$ErrorActionPreference = 'Stop'
Import-Module $Module
# A receiver that is down: Connect-Sobot and each send warn, and -Debug makes a compiled cmdlet ask before a warning.
$l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $dead = "http://127.0.0.1:$($l.LocalEndpoint.Port)/"; $l.Stop()
Connect-Sobot -AccessKey demo-access-key -SecretKey (ConvertTo-SecureString demo-secret-key -AsPlainText -Force) -BaseUri $BaseUri -ReceiverUri $dead -ReceiverKey (ConvertTo-SecureString 'a-key-of-sixteen-chars' -AsPlainText -Force) -Debug
$t = Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName hello_world -Debug
$m = 1..2 | ForEach-Object { [pscustomobject]@{ Phone = '919970585556'; Text = "line $_" } } | Send-SobotTextMessage -Debug -Verbose
"sent $($t.MessageId) $(@($m).Count)"
$null = Get-SobotReceiver -Debug
Disconnect-Sobot -Debug
'disconnected'
'@ | Set-Content $script
            $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
            foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $script, '-BaseUri', $emulator.BaseUri, '-Module', $ModuleManifest)) { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardInput = $true
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $p = [System.Diagnostics.Process]::Start($psi)
            $p.StandardInput.Close()   # as a scheduled task: nobody can answer a prompt
            $err = $p.StandardError.ReadToEndAsync()
            $out = $p.StandardOutput.ReadToEnd()
            $p.WaitForExit(60000) | Should -BeTrue
            $err.Result | Should -BeNullOrEmpty
            $p.ExitCode | Should -Be 0
            $out | Should -Match 'sent wamid\.\S+ 2'
            $out | Should -Match 'DEBUG: POST /message/ request body: \{"customer_number":"919970585556"'
            $out | Should -Match 'VERBOSE: POST /message/ -> 200'
            $out | Should -Match 'WARNING: The webhook receiver at \S+ could not be reached'
            $out | Should -Match 'disconnected'
        }

        It 'completes -FallbackTemplate with template names, as -TemplateName' {
            foreach ($command in 'Send-SobotTextMessage', 'Send-SobotImageMessage') {
                $line = "$command -CustomerNumber 1 -FallbackTemplate order_u"
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('order_update') -Because $command
            }
        }
    }
}
