BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $emulator = Start-TestEmulator
    Connect-TestEmulator $emulator -DefaultRegion IN
    function Get-StoredCustomer([string] $Mobile) { $all = Invoke-RestMethod "$($emulator.BaseUri)/_emulator/customers"; $all | Where-Object mobile -eq $Mobile }
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
}

Describe 'Add-SobotCustomer' {
    BeforeEach { Reset-Emulator $emulator }

    It 'imports a CSV of customers in one line' {
        $csv = Join-Path $TestDrive 'people.csv'
        @'
Name,Mobile,Email,Gender,DateOfBirth,Labels,City
Asha Patil,+91 99705-85556,asha@example.com,female,1990-08-15,vip;pune,Pune
Rahul Deshmukh,09960123456,,,15-01-1985,,Mumbai
'@ | Set-Content $csv
        $r = Import-Csv $csv | Add-SobotCustomer
        $r.Count | Should -Be 2
        $r | ForEach-Object { $_ | Should -BeOfType SobotPS.SobotCustomerResult }
        $r.Action | Should -Be @('Added', 'Added')
        $r[0].Message | Should -Be 'Customer added successfully'
        $asha = Get-StoredCustomer 919970585556
        $asha.name | Should -Be 'Asha Patil'
        $asha.gender | Should -Be 'Female'
        $asha.date_of_birth | Should -Be '15-08-1990'
        $asha.labels | Should -Be @('vip', 'pune')
        $rahul = Get-StoredCustomer 919960123456
        $rahul.date_of_birth | Should -Be '15-01-1985'
        $rahul.email | Should -BeNullOrEmpty
    }

    It 'sends extra fields with spaces replaced by _' {
        $null = Add-SobotCustomer -CustomerNumber 919970585556 -CustomerName Asha -ExtraField @{ 'loyalty tier' = 'gold'; visits = 3 } -Label vip
        $c = Get-StoredCustomer 919970585556
        $c.extra_fields.loyalty_tier | Should -Be 'gold'
        $c.extra_fields.visits | Should -Be 3
    }

    It 'gives "Customer already exists" its own ErrorId so scripts can ignore it' {
        $null = Add-SobotCustomer -CustomerNumber 919970585556 -CustomerName Asha
        Add-SobotCustomer -CustomerNumber 919970585556 -CustomerName Asha -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'CustomerAlreadyExists,SobotPS.Commands.AddSobotCustomerCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $err[0].Exception.Message | Should -BeLike '*Customer already exists*'
    }

    It 'refuses bad fields before sending' {
        Add-SobotCustomer -CustomerNumber 919970585556 -CustomerName ('n' * 101) -ErrorVariable e1 -ErrorAction SilentlyContinue
        Add-SobotCustomer -CustomerNumber 919970585556 -CustomerName A -Gender Other -ErrorVariable e2 -ErrorAction SilentlyContinue
        Add-SobotCustomer -CustomerNumber 919970585556 -CustomerName A -Email 'not-an-email' -ErrorVariable e3 -ErrorAction SilentlyContinue
        Add-SobotCustomer -CustomerNumber 12 -CustomerName A -ErrorVariable e4 -ErrorAction SilentlyContinue
        $e1[0].Exception.Message | Should -BeLike "*'name'*100*"
        $e2[0].Exception.Message | Should -BeLike '*Male, Female*'
        $e3[0].Exception.Message | Should -BeLike "*'email'*"
        $e4[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCustomerNumber,*'
        $stored = Invoke-RestMethod "$($emulator.BaseUri)/_emulator/customers"
        @($stored).Count | Should -Be 0
    }
}

Describe 'Set-SobotCustomer' {
    BeforeEach {
        Reset-Emulator $emulator
        $null = Add-SobotCustomer -CustomerNumber 919970585556 -CustomerName Asha -Label old1, old2 -Email asha@example.com
    }

    It 'updates by number, and the labels given replace the earlier ones' {
        $r = Set-SobotCustomer -CustomerNumber '+91 99705 85556' -Label new -CustomerName 'Asha P'
        $r.Action | Should -Be 'Updated'
        $c = Get-StoredCustomer 919970585556
        $c.labels | Should -Be @('new')
        $c.name | Should -Be 'Asha P'
        $c.email | Should -Be 'asha@example.com'
    }

    It 'says with -WhatIf that labels are replaced, and changes nothing' {
        $r = Set-SobotCustomer -CustomerNumber 919970585556 -CustomerName Asha -Label new -WhatIf
        $r | Should -BeNullOrEmpty
        (Get-StoredCustomer 919970585556).labels | Should -Be @('old1', 'old2')
    }

    It 'reports a number the account does not have' {
        Set-SobotCustomer -CustomerNumber 919822012345 -CustomerName Nobody -Label x -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'SobotNotFound,SobotPS.Commands.SetSobotCustomerCommand'
    }

    It 'sends the name of Get-SobotCustomer output, bound by property name' {
        $r = Get-SobotCustomer -CustomerNumber 919970585556 | Set-SobotCustomer -Label piped
        $r.Action | Should -Be 'Updated'
        $c = Get-StoredCustomer 919970585556
        $c.name | Should -Be 'Asha'
        $c.labels | Should -Be @('piped')
    }

    It 'refuses a row without a name, naming the field, sends nothing for it and goes on with the next' {
        $csv = Join-Path $TestDrive 'changes.csv'
        @'
Mobile,Name,Labels
919970585556,,nameless
919970585556,Asha Patil,named
'@ | Set-Content $csv
        $r = Import-Csv $csv | Set-SobotCustomer -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidInput,SobotPS.Commands.SetSobotCustomerCommand'
        $err[0].Exception.Message | Should -BeLike "*'name'*required*update*"
        $err[0].TargetObject.Labels | Should -Be 'nameless'
        @($r).Count | Should -Be 1
        $log = Invoke-RestMethod "$($emulator.BaseUri)/_emulator/requests"
        $puts = @($log | Where-Object method -eq 'PUT')
        $puts.Count | Should -Be 1
        $c = Get-StoredCustomer 919970585556
        $c.name | Should -Be 'Asha Patil'
        $c.labels | Should -Be @('named')
    }

    It 'refuses an update without -CustomerName' {
        Set-SobotCustomer -CustomerNumber 919970585556 -Label x -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].Exception.Message | Should -BeLike "*'name'*"
        (Get-StoredCustomer 919970585556).labels | Should -Be @('old1', 'old2')
    }
}

Describe 'Get-SobotCustomer' {
    BeforeAll {
        Reset-Emulator $emulator
        1..65 | ForEach-Object { [pscustomobject]@{ Mobile = '91997000{0:0000}' -f $_; Name = "Customer $_" } } | Add-SobotCustomer | Out-Null
        $null = Add-SobotCustomer -CustomerNumber 919970585556 -CustomerName 'Asha Patil'
    }

    It 'streams every page (more than 3) as typed objects' {
        $all = Get-SobotCustomer
        $all.Count | Should -Be 66
        $all[0] | Should -BeOfType SobotPS.SobotCustomer
        ($all.CustomerNumber | Sort-Object -Unique).Count | Should -Be 66
    }

    It 'filters by number (normalized) and by wildcard name' {
        (Get-SobotCustomer -CustomerNumber '+91 99705-85556').Name | Should -Be 'Asha Patil'
        (Get-SobotCustomer -Name 'customer 6*').Count | Should -Be 7   # 6 and 60..65
        $a = Get-SobotCustomer -Name 'asha*'
        $a.FirstName | Should -Be 'Asha'
        $a.LastName | Should -Be 'Patil'
    }

    It 'pipes straight into a send' {
        $r = Get-SobotCustomer -Name 'Asha*' | Send-SobotTemplate -TemplateName hello_world
        $r.CustomerNumber | Should -Be '919970585556'
        $r.CustomerName | Should -Be 'Asha Patil'
    }
}
