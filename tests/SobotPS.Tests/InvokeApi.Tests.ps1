BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $emulator = Start-TestEmulator
    Connect-TestEmulator $emulator
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
}

Describe 'Invoke-SobotApi' {
    BeforeEach { Reset-Emulator $emulator }

    It 'GETs with the keys and returns the parsed response' {
        $r = Invoke-SobotApi GET '/api/template/?status=1'
        $r.code | Should -Be 200
        $r.data.entity_name | Should -Contain 'payment_status'
        $r.data.status | Sort-Object -Unique | Should -Be 1
    }

    It 'POSTs a hashtable body as JSON' {
        $body = @{ customer_number = '919970585556'; customer_name = 'Asha'; template_name = 'hello_world'; template_lang = 'en' }
        $r = Invoke-SobotApi -Method POST -Path /message/ -Body $body
        $r.data.id | Should -BeLike 'wamid.*'
        (Get-EmulatorMessage $emulator).Count | Should -Be 1
    }

    It "writes Sobot's error as one error record" {
        Invoke-SobotApi POST /message/ -Body '{"customer_number":"12","customer_name":"A","type":"text","message":"x"}' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'SobotBadRequest,SobotPS.Commands.InvokeSobotApiCommand'
        $err[0].Exception.Message | Should -BeLike '*Invalid mobile number*'
    }

    It 'sends nothing with -WhatIf, and refuses absolute URLs that would bypass the base URI' {
        Invoke-SobotApi POST /message/ -Body @{ a = 1 } -WhatIf
        (Get-EmulatorMessage $emulator).Count | Should -Be 0
        Invoke-SobotApi GET 'https://elsewhere.example/x' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
    }
}
