BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $emulator = Start-TestEmulator
    Connect-TestEmulator $emulator
    function Get-CreateBody { @(Invoke-RestMethod "$($emulator.BaseUri)/api/template/?status=0&page=1" -Headers @{ 'x-api-key' = $emulator.AccessKey; 'x-api-secret' = $emulator.SecretKey }).data }
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
}

Describe 'New-SobotTemplate' {
    BeforeEach { Reset-Emulator $emulator }

    It 'creates a text template with variables and returns it, pending' {
        $t = New-SobotTemplate -Name 'order shipped' -Category Utility -Body 'Order {{1}} ships on {{2}}' -BodyExample 8654334, Monday -Language en
        $t | Should -BeOfType SobotPS.SobotTemplate
        $t.Name | Should -Be 'order_shipped'
        $t.Status | Should -Be 'Pending'
        $t.VariableCount | Should -Be 2
        $t.Language | Should -Be 'en'
    }

    It 'maps every documented kind onto the create body' {
        $null = New-SobotTemplate -Name qr -Category Marketing -Body 'Happy?' -QuickReplyButton Yes, No -Footer 'Thanks 🙏'
        $null = New-SobotTemplate -Name cta -Category Utility -Body 'Track {{1}}' -BodyExample 42 -PhoneButtonText 'Call us' -PhoneButtonNumber '+91 95611 23456' -UrlButtonText Track -UrlButtonUrl 'https://shop.example.com/t/{{1}}' -UrlButtonExample 'https://shop.example.com/t/42'
        $null = New-SobotTemplate -Name img -Category Marketing -Body 'New!' -HeaderImageExample https://cdn.example.com/sample.jpg
        $null = New-SobotTemplate -Name doc -Category Utility -Body 'Invoice' -HeaderDocumentExample https://cdn.example.com/sample.pdf
        $null = New-SobotTemplate -Name hdr -Category Utility -Body 'Hi' -Header 'Account notice'
        $all = Get-SobotTemplate -Status Pending
        ($all | Where-Object Name -eq qr).Buttons | Should -Be @('Yes', 'No')
        $cta = $all | Where-Object Name -eq cta
        $cta.SubType | Should -Be 'CTA'
        $cta.Url | Should -Be 'https://shop.example.com/t/{{1}}'
        $cta.PhoneNumbers | Should -Be @('Call us: 919561123456')
        ($all | Where-Object Name -eq img).TemplateType | Should -Be 'MEDIA'
        ($all | Where-Object Name -eq doc).HeaderType | Should -Be 'DOCUMENT'
        ($all | Where-Object Name -eq hdr).Header | Should -Be 'Account notice'
    }

    It 'refuses invalid combinations naming the parameters that clash, and creates nothing' {
        $cases = @(
            @{ P = @{ Header = 'Hi'; HeaderVideoExample = 'https://e.com/v.mp4' }; Expect = '*Header and HeaderVideoExample clash*' }
            @{ P = @{ QuickReplyButton = 'Yes'; PhoneButtonText = 'Call'; PhoneButtonNumber = '919561123456' }; Expect = '*QuickReplyButton and PhoneButtonText/PhoneButtonNumber clash*' }
            @{ P = @{ UrlButtonText = 'Go'; UrlButtonUrl = 'https://e.com/{{1}}' }; Expect = '*UrlButtonExample*' }
            @{ P = @{ Body = 'Hi {{1}}' }; Expect = '*BodyExample must give exactly 1*' }
        )
        foreach ($case in $cases) {
            $p = @{ Name = 'bad'; Category = 'Utility'; Body = 'Hello' }
            foreach ($k in $case.P.Keys) { $p[$k] = $case.P[$k] }
            New-SobotTemplate @p -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'InvalidInput,SobotPS.Commands.NewSobotTemplateCommand'
            $err[0].Exception.Message | Should -BeLike $case.Expect
        }
        Get-SobotTemplate -Name bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'creates nothing with -WhatIf' {
        New-SobotTemplate -Name whatif_only -Category Utility -Body 'x' -WhatIf
        Get-SobotTemplate -Name whatif_only -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Get-SobotTemplate' {
    BeforeAll {
        Reset-Emulator $emulator
        # 8 seeded + 70 new = 78 templates: 4 pages of 20.
        1..70 | ForEach-Object { [pscustomobject]@{ Name = "bulk_$_"; Category = 'Utility'; Body = "Body $_" } } | New-SobotTemplate | Out-Null
    }

    It 'streams every page (more than 3) as typed objects' {
        $all = Get-SobotTemplate -Verbose 4>&1
        $verbose = $all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $templates = $all | Where-Object { $_ -is [SobotPS.SobotTemplate] }
        $templates.Count | Should -Be 78
        ($templates.Id | Sort-Object -Unique).Count | Should -Be 78
        @($verbose | Where-Object Message -like 'GET /api/template/*').Count | Should -Be 4
        $templates[0].CreatedAt | Should -BeOfType [DateTimeOffset]
    }

    It 'filters by wildcard name, status and language' {
        (Get-SobotTemplate -Name 'bulk_1*').Count | Should -Be 11
        (Get-SobotTemplate -Status Approved).Name | Should -Contain 'payment_status'
        (Get-SobotTemplate -Status Approved).Name | Should -Not -Contain 'spring_sale'
        (Get-SobotTemplate -Name festival_greeting -Language hi).Language | Should -Be 'hi'
        $p = Get-SobotTemplate -Name payment_status
        $p.Status | Should -Be ([SobotPS.SobotTemplateStatus]::Approved)
        $p.VariableCount | Should -Be 2
    }

    It 'says when an exact name is not there' {
        Get-SobotTemplate -Name nope -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'TemplateNotFound,SobotPS.Commands.GetSobotTemplateCommand'
    }

    It 'completes template names and their languages on Tab from the cache' {
        $null = Get-SobotTemplate
        $line = 'Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName festi'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('festival_greeting')
        $line = 'Send-SobotTemplate -TemplateName festival_greeting -Language '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('en', 'hi')
        $line = 'Get-SobotTemplate -Name payment_'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('payment_status')
    }
}

Describe 'Sync-SobotTemplate' {
    BeforeAll {
        Reset-Emulator $emulator
        $file = Join-Path $TestDrive 'templates.json'
        @'
[
  { "Name": "welcome_back", "Category": "Marketing", "Body": "Welcome back, {{1}}!", "BodyExample": ["Asha"], "Footer": "Reply STOP to opt out" },
  { "Name": "survey", "Category": "Utility", "Body": "Happy with us?", "QuickReplyButton": ["Yes", "No"], "Language": "en" },
  { "Name": "hello_world", "Category": "Utility", "Body": "Hello from Sobot! Thanks for being our customer.", "Language": "en" },
  { "Name": "order_update", "Category": "Utility", "Body": "Your order {{1}} is on its way!", "BodyExample": ["42"], "Language": "en" }
]
'@ | Set-Content $file
    }

    It 'shows the plan with -WhatIf and creates nothing' {
        $plan = Sync-SobotTemplate -Path $file -WhatIf -WarningAction SilentlyContinue
        ($plan | Where-Object Action -eq WouldCreate).Name | Should -Be @('welcome_back', 'survey')
        (Get-SobotTemplate -Status Pending).Name | Should -Not -Contain 'welcome_back'
    }

    It 'creates what is missing, reports the rest with status, and drift without recreating' {
        $r = Sync-SobotTemplate -Path $file -WarningVariable w -WarningAction SilentlyContinue
        ($r | Where-Object Name -eq welcome_back).Action | Should -Be 'Created'
        ($r | Where-Object Name -eq survey).Action | Should -Be 'Created'
        $hello = $r | Where-Object Name -eq hello_world
        $hello.Action | Should -Be 'UpToDate'
        $hello.Status | Should -Be 'Approved'
        $drift = $r | Where-Object Name -eq order_update
        $drift.Action | Should -Be 'Drift'
        $drift.Differences | Should -Be @('Body')
        $w[0] | Should -BeLike "*order_update*Body*"
        (Get-SobotTemplate -Name welcome_back).Footer | Should -Be 'Reply STOP to opt out'
    }

    It 'is idempotent: a second run creates nothing' {
        $null = Sync-SobotTemplate -Path $file -WarningAction SilentlyContinue   # the first run (a no-op when the test above made it)
        $before = (Get-SobotTemplate).Count
        $r = Sync-SobotTemplate -Path $file -WarningAction SilentlyContinue
        $r.Action | Should -Not -Contain 'Created'
        ($r | Where-Object Name -eq welcome_back).Action | Should -Be 'UpToDate'
        ($r | Where-Object Name -eq welcome_back).Status | Should -Be 'Pending'
        (Get-SobotTemplate).Count | Should -Be $before
    }

    It 'refuses a file with unknown keys or an invalid definition, per definition' {
        $bad = Join-Path $TestDrive 'bad.json'
        '[{"Name":"x","Category":"Utility","Body":"b","Colour":"red"}]' | Set-Content $bad
        Sync-SobotTemplate -Path $bad -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -BeLike '*Colour*'
        $invalid = Join-Path $TestDrive 'invalid.json'
        '[{"Name":"y","Category":"Utility","Body":"Hi {{1}}"},{"Name":"z","Category":"Utility","Body":"fine"}]' | Set-Content $invalid
        $r = Sync-SobotTemplate -Path $invalid -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2.Count | Should -Be 1
        $r.Name | Should -Be 'z'
    }
}
