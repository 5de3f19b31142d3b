BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $emulator = Start-TestEmulator
    Connect-TestEmulator $emulator
    $csv = Join-Path $TestDrive 'customers.csv'
    @'
Name,Mobile,OrderId,Status
Asha Patil,+91 99705-85556,8654334,Approved
Rahul Deshmukh,919960123456,8654335,Pending
'@ | Set-Content $csv
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
}

Describe 'Template sends' {
    BeforeEach { Reset-Emulator $emulator }

    Describe 'Send-SobotTemplate from a CSV' {
        It 'takes body parameters from a delay-bind script block per row' {
            $r = Import-Csv $csv | Send-SobotTemplate -TemplateName payment_status -BodyParameter { $_.OrderId, $_.Status }
            $r.Count | Should -Be 2
            $r.TemplateName | Should -Be @('payment_status', 'payment_status')
            $r.MessageType | Should -Be @('template', 'template')
            # Results come as messages complete, not in input order.
            $r.CustomerName | Sort-Object | Should -Be @('Asha Patil', 'Rahul Deshmukh')
            ($r | Where-Object CustomerName -eq 'Rahul Deshmukh').InputObject.OrderId | Should -Be '8654335'
            $sent = Get-EmulatorMessage $emulator | Sort-Object { $_.body.customer_name }
            ($sent[0].body | ConvertTo-Json -Depth 6 -Compress) |
                Should -Be '{"customer_number":"919970585556","customer_name":"Asha Patil","template_name":"payment_status","template_lang":"en","params":[{"type":"body","parameters":[{"type":"text","text":"8654334"},{"type":"text","text":"Approved"}]}]}'
            $sent[1].body.params[0].parameters.text | Should -Be @('8654335', 'Pending')
        }

        It 'runs the README line' {
            $r = Import-Csv $csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId }
            $r.Count | Should -Be 2
            (Get-EmulatorMessage $emulator).body.params.parameters.text | Sort-Object | Should -Be @('8654334', '8654335')
        }

        It 'looks the language up when -Language is omitted and sends no params for a template without variables' {
            $null = Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName hello_world
            $body = (Get-EmulatorMessage $emulator)[0].body
            $body.template_lang | Should -Be 'en'
            $body.PSObject.Properties.Name | Should -Not -Contain 'params'
        }

        It 'refuses a count mismatch against the template body before sending' {
            Import-Csv $csv | Send-SobotTemplate -TemplateName payment_status -BodyParameter { $_.OrderId } -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -Be 'TemplateParameterMismatch,SobotPS.Commands.SendSobotTemplateCommand'
            $errs[0].Exception.Message | Should -BeLike "*'payment_status'*2 body variables but 1 body parameter*"
            $errs[0].TargetObject.Name | Should -Be 'Asha Patil'
            (Get-EmulatorMessage $emulator).Count | Should -Be 0
        }

        It 'says when a template exists in several languages, and sends with -Language' {
            Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName festival_greeting -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'TemplateLanguageAmbiguous,SobotPS.Commands.SendSobotTemplateCommand'
            $err[0].ToString() | Should -BeLike '*several languages (en, hi); give its language to choose one (-Language).'
            $r = Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName festival_greeting -Language hi
            (Get-EmulatorMessage $emulator)[0].body.template_lang | Should -Be 'hi'
            $r.TemplateName | Should -Be 'festival_greeting'
        }

        It 'says when a template does not exist or is not approved' {
            Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName no_such_thing -ErrorVariable e1 -ErrorAction SilentlyContinue
            Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName spring_sale -BodyParameter '10%' -ErrorVariable e2 -ErrorAction SilentlyContinue
            $e1[0].FullyQualifiedErrorId | Should -Be 'TemplateNotFound,SobotPS.Commands.SendSobotTemplateCommand'
            $e1[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $e2[0].FullyQualifiedErrorId | Should -Be 'TemplateNotApproved,SobotPS.Commands.SendSobotTemplateCommand'
            $e2[0].Exception.Message | Should -BeLike '*pending approval*'
        }

        It 'sends a media header and a dynamic URL button as the contract shows' {
            $null = Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName new_arrivals -HeaderImageUrl 'https://cdn.example.com/new.jpg'
            $null = Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName track_order -BodyParameter 8654334 -UrlButtonParameter 8654334
            $sent = Get-EmulatorMessage $emulator
            ($sent[0].body.params | ConvertTo-Json -Depth 6 -Compress -AsArray) | Should -Be '[{"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example.com/new.jpg"}}]}]'
            ($sent[1].body.params | ConvertTo-Json -Depth 6 -Compress -AsArray) |
                Should -Be '[{"type":"body","parameters":[{"type":"text","text":"8654334"}]},{"type":"button","sub_type":"url","index":0,"parameters":[{"type":"text","text":"8654334"}]}]'
        }

        It 'refuses a missing or clashing header and a missing button value' {
            Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName new_arrivals -ErrorVariable e1 -ErrorAction SilentlyContinue
            Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName new_arrivals -HeaderImageUrl https://e.com/a.jpg -HeaderVideoUrl https://e.com/a.mp4 -ErrorVariable e2 -ErrorAction SilentlyContinue
            Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName track_order -BodyParameter 1 -ErrorVariable e3 -ErrorAction SilentlyContinue
            $e1[0].ToString() | Should -BeLike "*image header; give the header's image URL (-HeaderImageUrl).*"
            $e2[0].Exception.Message | Should -BeLike '*clash*'
            $e3[0].ToString() | Should -BeLike '*give the value that completes its URL (-UrlButtonParameter).*'
            (Get-EmulatorMessage $emulator).Count | Should -Be 0
        }

        It 'creates a template whose header holds a variable, and sends its value as a text header' {
            $t = New-SobotTemplate -Name greeting_header -Category Utility -Header 'Hi {{1}}' -HeaderExample 'Asha' -Body 'Your order {{1}} is ready.' -BodyExample 8654334 -Language en
            $t.HeaderVariableCount | Should -Be 1
            $null = Invoke-RestMethod -Method Post "$($emulator.BaseUri)/_emulator/templates/greeting_header/status" -ContentType application/json -Body '{"status":1}'
            Disconnect-Sobot; Connect-TestEmulator $emulator   # a new connection reads the approved template
            Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName greeting_header -BodyParameter 1 -ErrorVariable missing -ErrorAction SilentlyContinue
            $missing[0].ToString() | Should -BeLike '*-HeaderParameter*'
            $r = Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName greeting_header -HeaderParameter 'Asha' -BodyParameter 8654334
            $r.MessageId | Should -Not -BeNullOrEmpty
            $sent = @(Get-EmulatorMessage $emulator)
            $sent.Count | Should -Be 1
            ($sent[0].body.params | ConvertTo-Json -Depth 6 -Compress -AsArray) |
                Should -Be '[{"type":"header","parameters":[{"type":"text","text":"Asha"}]},{"type":"body","parameters":[{"type":"text","text":"8654334"}]}]'
        }

        It 'sends nothing with -WhatIf, yet still checks each row' {
            $rows = @(Import-Csv $csv) + [pscustomobject]@{ Name = 'Bad'; Mobile = '12'; OrderId = '1' }
            $r = $rows | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCustomerNumber,*'
            (Get-EmulatorMessage $emulator).Count | Should -Be 0
        }
    }
}

Describe 'Template sends when the template list cannot be read' {
    It 'sends with -Language unchecked (with a warning), but cannot without it' {
        $emulator2 = Start-TestEmulator
        try {
            # More than one page of templates, so connecting does not fill the template cache by itself.
            $keys = @{ 'x-api-key' = $emulator2.AccessKey; 'x-api-secret' = $emulator2.SecretKey }
            1..15 | ForEach-Object {
                $null = Invoke-RestMethod -Method Post "$($emulator2.BaseUri)/api/template/" -Headers $keys -ContentType application/json `
                    -Body (@{ category = 'UTILITY'; entity_name = "filler_$_"; template_type = 'TEXT'; body = 'x'; lang_code = 'en' } | ConvertTo-Json)
            }
            $c = Connect-TestEmulator $emulator2 -PassThru
            $null = Invoke-RestMethod -Method Post "$($emulator2.BaseUri)/_emulator/faults" -ContentType application/json -Body '{"fail_paths":["/api/template"]}'
            Send-SobotTemplate -Connection $c -CustomerNumber 919970585556 -TemplateName payment_status -BodyParameter 1, 2 -ErrorVariable e1 -ErrorAction SilentlyContinue
            $e1[0].FullyQualifiedErrorId | Should -BeLike 'SobotOutcomeUnknown,*'
            $e1[0].Exception.Message | Should -BeLike '*GET /api/template/*'
            $r = Send-SobotTemplate -Connection $c -CustomerNumber 919970585556 -TemplateName payment_status -Language en -BodyParameter 1, 2 -WarningVariable w -WarningAction SilentlyContinue
            $r.MessageId | Should -BeLike 'wamid.*'
            "$($w[0])" | Should -BeLike '*Could not read the template list*'
            (Get-EmulatorMessage $emulator2).body.params[0].parameters.text | Should -Be @('1', '2')
        }
        finally {
            $emulator2 | Stop-SobotEmulator
        }
    }
}

Describe 'The template cache' {
    It 'is filled by the key check of Connect-Sobot when one page holds every template' {
        $emulator3 = Start-TestEmulator
        try {
            $c = Connect-TestEmulator $emulator3 -PassThru
            $null = Send-SobotTemplate -Connection $c -CustomerNumber 919970585556 -TemplateName payment_status -BodyParameter 1, 2
            $log = Invoke-RestMethod "$($emulator3.BaseUri)/_emulator/requests"
            @($log | Where-Object path -like '/api/template*').Count | Should -Be 1    # the connect check only
            @($log | Where-Object path -like '/message*').Count | Should -Be 1
        }
        finally { $emulator3 | Stop-SobotEmulator }
    }
}

Describe 'The README''s on-call line' {
    BeforeAll {
        $receiver = Start-SobotReceiver -Path (Join-Path $TestDrive 'oncall.db')
        $paging = Start-TestEmulator -ArgumentList '--webhook-url', ($receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText)
        Connect-Sobot -AccessKey $paging.AccessKey -SecretKey (ConvertTo-TestSecret $paging.SecretKey) -BaseUri $paging.BaseUri -Receiver $receiver
        $null = New-SobotTemplate -Name incident_ack -Category Utility -Body 'Incident: {{1}}. Reply to take it.' -BodyExample 'DB down'
        $null = Invoke-RestMethod -Method Post "$($paging.BaseUri)/_emulator/templates/incident_ack/status" -ContentType application/json -Body '{"status":1}'
        $null = Get-SobotTemplate   # Meta approved it: refresh the cached list
    }

    AfterAll {
        Connect-TestEmulator $emulator
        $paging | Stop-SobotEmulator
        $receiver | Stop-SobotReceiver
    }

    It 'runs as written with three numbers, and goes on with whoever answers first' {
        $line = @(Get-Content (Join-Path $RepoRoot 'README.md') | Where-Object { $_ -match '^Send-SobotTemplate -CustomerNumber \$oncall ' })
        $line.Count | Should -Be 1
        $oncall = '919970585556', '+91 99705-85557', '919970585558'

        # The second person on call answers their page, from another thread while the line waits.
        $answer = [powershell]::Create()
        $null = $answer.AddScript({
                param($Uri)
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while ([DateTime]::UtcNow -lt $deadline) {
                    $all = Invoke-RestMethod "$Uri/_emulator/messages"
                    $page = @($all | Where-Object { $_.body.template_name -eq 'incident_ack' -and $_.body.customer_number -eq '919970585557' })
                    if ($page.Count -eq 1) {
                        Invoke-RestMethod -Method Post "$Uri/_emulator/reply" -ContentType application/json -Body (@{ messageId = $page[0].id; text = 'On it' } | ConvertTo-Json)
                        return
                    }
                    Start-Sleep -Milliseconds 100
                }
            }).AddArgument($paging.BaseUri)
        $handle = $answer.BeginInvoke()
        try {
            $a = Invoke-Expression $line[0]
        }
        finally {
            $null = $answer.EndInvoke($handle)
            $answer.Dispose()
        }
        @($a).Count | Should -Be 1
        $a.Text | Should -Be 'On it'
        $a.From | Should -Be '919970585557'
        $pages = @(Get-EmulatorMessage $paging | Where-Object { $_.body.template_name -eq 'incident_ack' })
        ($pages.body.customer_number | Sort-Object) | Should -Be @('919970585556', '919970585557', '919970585558')
        ($pages.body.params.parameters.text | Select-Object -Unique) | Should -Be 'DB down'
    }
}
