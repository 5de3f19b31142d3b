# What a scheduled task nobody watches relies on: every row accounted for, errors that name the row and
# speak PowerShell, keys that stay on the configured host, a journal that cannot be fooled.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    function New-RowsCsv([string] $Path, [string[]] $Lines) {
        [System.IO.File]::WriteAllLines($Path, [string[]](@('Name,Phone,OrderId') + $Lines))
    }

    # Runs a command in a fresh pwsh with the module imported and the emulator's keys; returns stdout.
    function Invoke-Pwsh([string] $Command) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        # The keys through the environment: a command line is visible to every user of the machine.
        $prelude = "Import-Module '$ModuleManifest'; Connect-Sobot; "
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $prelude + $Command)) { $psi.ArgumentList.Add($a) }
        $psi.Environment['SOBOT_ACCESS_KEY'] = $emulator.AccessKey
        $psi.Environment['SOBOT_SECRET_KEY'] = $emulator.SecretKey
        $psi.Environment['SOBOT_BASE_URI'] = $emulator.BaseUri
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $err = $p.StandardError.ReadToEndAsync()
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $out; Error = $err.Result }
    }

    $emulator = Start-TestEmulator -ArgumentList '--no-window'
}

AfterAll { $emulator | Stop-SobotEmulator }

Describe 'Every row accounted for' {
    BeforeEach { Reset-Emulator $emulator; Connect-TestEmulator $emulator }
    AfterEach { Disconnect-Sobot }

    It 'counts rows refused before sending as failed everywhere, and a fixed re-run sends exactly them' {
        $csv = Join-Path $TestDrive 'national.csv'
        $journal = Join-Path $TestDrive 'national.journal'
        $lines = foreach ($i in 1..30) { if ($i % 5 -eq 0) { "N$i,99700{0:00000},$i" -f $i } else { "C$i,9199700{0:00000},$i" -f $i } }
        New-RowsCsv $csv $lines
        $r = Import-Csv $csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } -JournalPath $journal -SummaryVariable run -ErrorVariable errs -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 24
        $run.Total | Should -Be 30
        $run.Sent | Should -Be 24
        $run.Failed | Should -Be 6
        ($run.Sent + $run.Failed + $run.Skipped + $run.Unknown) | Should -Be $run.Total
        $run.Succeeded | Should -BeFalse
        @($errs).Count | Should -Be 6
        $errs[0].ToString() | Should -Match '^CSV line 6 \(9970000005\): '
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCustomerNumber,*'
        $journalSummary = Get-SobotJournal $journal -Summary
        $journalSummary.Total | Should -Be 30
        $journalSummary.Sent | Should -Be 24
        $journalSummary.Failed | Should -Be 6
        (Get-SobotJournal $journal -State Failed | Select-Object -First 1).Error | Should -BeLike '*country code*'

        Disconnect-Sobot
        Connect-TestEmulator $emulator -DefaultRegion IN
        $null = Import-Csv $csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } -JournalPath $journal -SummaryVariable rerun
        $rerun.Sent | Should -Be 6
        $rerun.Skipped | Should -Be 24
        $after = Get-SobotJournal $journal -Summary
        $after.Total | Should -Be 30
        $after.Sent | Should -Be 30
        $after.Failed | Should -Be 0
        @(Get-EmulatorMessage $emulator).Count | Should -Be 30
    }

    It 'gives every Send cmdlet -SummaryVariable, -SkipDuplicate and -TotalCount' {
        foreach ($command in Get-Command -Module SobotPS -Verb Send) {
            $command.Parameters.Keys | Should -Contain 'SummaryVariable' -Because $command.Name
            $command.Parameters.Keys | Should -Contain 'SkipDuplicate' -Because $command.Name
            $command.Parameters.Keys | Should -Contain 'TotalCount' -Because $command.Name
        }
        $null = Send-SobotTextMessage -CustomerNumber 919970585556 -Message hi -SummaryVariable one
        $one.GetType().FullName | Should -Be 'Sobot.Client.Bulk.SendSummary'
        $one.PSObject.Properties.Name | Should -Contain 'Duplicates'
        $one.PSObject.Properties.Name | Should -Contain 'Elapsed'
        $one.PSObject.Properties.Name | Should -Contain 'Rate'
        $one.Total | Should -Be 1
        $one.Sent | Should -Be 1
    }

    It 'fails only the row whose scriptblock parameter throws, naming the parameter and the CSV line' {
        $csv = Join-Path $TestDrive 'throws.csv'
        New-RowsCsv $csv @('A,919970000001,1', 'B,919970000002,', 'C,919970000003,3')
        $null = Import-Csv $csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { if (-not $_.OrderId) { throw 'no order id' } $_.OrderId } -SummaryVariable s -ErrorVariable errs -ErrorAction SilentlyContinue
        $s.Sent | Should -Be 2
        $s.Failed | Should -Be 1
        @($errs).Count | Should -Be 1
        $errs[0].ToString() | Should -BeLike 'CSV line 3 (919970000002): -BodyParameter {*} failed for this row: no order id'
        $errs[0].TargetObject.Name | Should -Be 'B'
    }

    It 'names -BodyParameter and the row for an empty CSV cell' {
        $csv = Join-Path $TestDrive 'empty.csv'
        New-RowsCsv $csv @('A,919970000001,1', 'B,919970000002,')
        $null = Import-Csv $csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } -SummaryVariable s -ErrorVariable errs -ErrorAction SilentlyContinue
        $s.Failed | Should -Be 1
        $errs[0].ToString() | Should -BeLike 'CSV line 3 (919970000002): -BodyParameter value 1*empty*'
        $errs[0].ToString() | Should -Not -BeLike "*The field 'params*"
    }

    It 'hints at braces for -BodyParameter $_.OrderId, and at arrays for one string with commas' {
        $csv = Join-Path $TestDrive 'braces.csv'
        New-RowsCsv $csv @('A,919970000001,1')
        $null = Import-Csv $csv | Send-SobotTemplate -TemplateName order_update -BodyParameter $_.OrderId -ErrorVariable noBraces -ErrorAction SilentlyContinue
        $noBraces[0].ToString() | Should -BeLike '*-BodyParameter { $_.Column }*'
        $null = New-SobotTemplate -Name two_vars -Category Utility -Body 'Order {{1}} is {{2}}' -BodyExample 1, 'ready'
        $null = Invoke-RestMethod -Method Post "$($emulator.BaseUri)/_emulator/templates/two_vars/status" -ContentType application/json -Body '{"status":1}'
        Disconnect-Sobot; Connect-TestEmulator $emulator   # a new connection reads the approved template
        $null = Send-SobotTemplate -CustomerNumber 919970000001 -TemplateName two_vars -BodyParameter '42,ready' -ErrorVariable commas -ErrorAction SilentlyContinue
        $commas[0].ToString() | Should -BeLike "*one string with commas ('42,ready')*-BodyParameter 'a', 'b'*"
        @(Get-EmulatorMessage $emulator).Count | Should -Be 0
    }

    It 'says when no -MimeType can fix a file type' {
        $null = Send-SobotImageMessage -CustomerNumber 919970000001 -Url 'https://cdn.example.com/anim.gif' -ErrorVariable gif -ErrorAction SilentlyContinue
        $gif[0].ToString() | Should -BeLike '*another type in -MimeType*cannot fix that*'
    }

    It 'keeps the identity under API errors, 429 exhaustion and outcomes Sobot left unknown' {
        $emulator2 = Start-TestEmulator -ArgumentList '--no-window', '--rate-limit', '2'
        try {
            Connect-TestEmulator $emulator2
            $rows = 1..8 | ForEach-Object { [pscustomobject]@{ Phone = '9199700{0:00000}' -f $_; Text = if ($_ -eq 3) { 'x' * 5000 } else { 'hi' } } }
            $null = $rows | Send-SobotTextMessage -ThrottleLimit 8 -MaximumRetryCount 0 -SummaryVariable limited -ErrorVariable errs -ErrorAction SilentlyContinue
            $limited.Total | Should -Be 8
            ($limited.Sent + $limited.Failed + $limited.Skipped + $limited.Unknown) | Should -Be 8
            $limited.Failed | Should -BeGreaterThan 1     # the long message and the 429s
            @($errs).Count | Should -Be ($limited.Failed + $limited.Unknown)
            Set-EmulatorFault $emulator2 @{ rate_limit = 0; fail_rate = 1 }
            $null = $rows[0..1] | Send-SobotTextMessage -SummaryVariable broken -ErrorAction SilentlyContinue
            $broken.Unknown | Should -Be 2
            $broken.Total | Should -Be 2
        }
        finally {
            Disconnect-Sobot
            $emulator2 | Stop-SobotEmulator
        }
    }

    It 'counts duplicate rows, and sends them once with -SkipDuplicate' {
        $rows = @(
            [pscustomobject]@{ Phone = '919970000001'; Text = 'hi' }
            [pscustomobject]@{ Phone = '919970000001'; Text = 'hi' }
            [pscustomobject]@{ Phone = '919970000002'; Text = 'hi' }
        )
        $null = $rows | Send-SobotTextMessage -SkipDuplicate -SummaryVariable d
        $d.Duplicates | Should -Be 1
        $d.Skipped | Should -Be 1
        $d.Sent | Should -Be 2
        @(Get-EmulatorMessage $emulator).Count | Should -Be 2
        $null = $rows | Send-SobotTextMessage -SummaryVariable both
        $both.Duplicates | Should -Be 1
        $both.Sent | Should -Be 3
    }

    It 'exports results with the input row flattened, and shows the whole MessageId in the table' {
        $rows = @([pscustomobject]@{ Phone = '919970000001'; Text = 'hi'; Region = 'West' })
        $r = $rows | Send-SobotTextMessage
        $file = Join-Path $TestDrive 'results.csv'
        $r | Export-Csv $file
        $text = Get-Content -Raw $file
        $text | Should -Not -BeLike '*@{*'
        $back = Import-Csv $file
        $back.Region | Should -Be 'West'
        $back.MessageId | Should -Be $r.MessageId
        $r.InputObject.Region | Should -Be 'West'
        ($r | Format-Table | Out-String -Width 200) | Should -BeLike "*$($r.MessageId)*"
    }

    It 'shows under -WhatIf the number, template, language and parameter values, and sends nothing' {
        $run = Invoke-Pwsh "Send-SobotTemplate -CustomerNumber 919970000001 -TemplateName order_update -BodyParameter 8654334 -WhatIf -SummaryVariable w; `"`$w`""
        $run.Output | Should -BeLike "*Send template 'order_update' (en) with body '8654334'*on target*919970000001*"
        $run.Output | Should -BeLike '*1 row: sent 0, failed 0, skipped 1*'
        @(Get-EmulatorMessage $emulator).Count | Should -Be 0
    }

    It 'warns when New-SobotTemplate rewrites a name' {
        $null = New-SobotTemplate -Name 'Bad Name' -Category Utility -Body 'Hello' -WarningVariable w -WarningAction SilentlyContinue
        $w[0].Message | Should -BeLike "*'Bad Name' becomes 'Bad_Name'*"
    }
}

Describe 'Keys never leave the configured host' {
    It 'refuses Invoke-SobotApi paths that point elsewhere, sending nothing' {
        $victim = Start-TestEmulator
        try {
            Connect-TestEmulator $emulator
            $authority = ([Uri]$victim.BaseUri).Authority
            foreach ($path in "\/$authority/_emulator/requests", "//$authority/x", "http://$authority/x") {
                { Invoke-SobotApi GET $path -ErrorAction Stop } | Should -Throw -ExpectedMessage '*base URI*'
            }
            @(Get-EmulatorRequest $victim).Count | Should -Be 0
        }
        finally {
            Disconnect-Sobot
            $victim | Stop-SobotEmulator
        }
    }

    It 'trims the newline Get-Content -Raw leaves on a key, and says so' {
        $keyFile = Join-Path $TestDrive 'access.key'
        Set-Content $keyFile 'demo-access-key'
        Connect-Sobot -AccessKey (Get-Content -Raw $keyFile) -SecretKey (ConvertTo-TestSecret "demo-secret-key`n") -BaseUri $emulator.BaseUri -WarningVariable w -WarningAction SilentlyContinue
        @($w).Count | Should -Be 2
        $w[0].Message | Should -BeLike '*trimmed*'
        Test-SobotConnection | Should -BeTrue
        Disconnect-Sobot
    }

    It 'refuses a key with a control character inside before anything is sent' {
        Reset-Emulator $emulator
        { Connect-Sobot -AccessKey "demo`r`nX-Injected: 1" -SecretKey (ConvertTo-TestSecret s) -BaseUri $emulator.BaseUri } |
            Should -Throw -ErrorId 'SobotInvalidKey,SobotPS.Commands.ConnectSobotCommand' -ExpectedMessage '*control character*'
        @(Get-EmulatorRequest $emulator).Count | Should -Be 0
    }
}

Describe 'Scheduled runs' {
    It 'reads SOBOT_DEFAULT_REGION, and names the missing half of a key pair' {
        $run = Invoke-Pwsh 'Disconnect-Sobot; $env:SOBOT_ACCESS_KEY = ''demo-access-key''; $env:SOBOT_SECRET_KEY = $null; try { Connect-Sobot -BaseUri x } catch { $_.Exception.Message }'
        $run.Output | Should -BeLike '*SOBOT_SECRET_KEY is not set*'
        Reset-Emulator $emulator
        $run = Invoke-Pwsh "Disconnect-Sobot; `$env:SOBOT_DEFAULT_REGION = 'IN'; Connect-Sobot -AccessKey demo-access-key -SecretKey (ConvertTo-SecureString demo-secret-key -AsPlainText -Force) -BaseUri '$($emulator.BaseUri)'; (Send-SobotTemplate -CustomerNumber 9970585556 -TemplateName hello_world).CustomerNumber"
        $run.Output.Trim() | Should -Be '919970585556'
    }

    It 'stops Connect-Sobot on Ctrl+C while its call waits for an answer' {
        # A server that takes the call and never answers: Connect-Sobot can only end by being stopped.
        $silent = Start-LoopbackListener
        $ps = [powershell]::Create()
        try {
            $arrived = $silent.Http.BeginGetContext($null, $null)
            $null = $ps.AddScript("Import-Module '$ModuleManifest'; Connect-Sobot -AccessKey demo-access-key -SecretKey (ConvertTo-SecureString demo-secret-key -AsPlainText -Force) -BaseUri 'http://127.0.0.1:$($silent.Port)'")
            $handle = $ps.BeginInvoke()
            Wait-Until { $arrived.IsCompleted -or $handle.IsCompleted } -TimeoutSec 60   # the call is at the server
            $handle.IsCompleted | Should -BeFalse
            $stopping = $ps.BeginStop($null, $null)
            $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60)) | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $ps.Dispose()
            $silent.Http.Close()
        }
    }
}

Describe 'A journal that cannot be fooled' {
    BeforeEach { Reset-Emulator $emulator; Connect-TestEmulator $emulator }
    AfterEach { Disconnect-Sobot }

    It 'repairs a torn last line before appending, says so, and loses no row' {
        $csv = Join-Path $TestDrive 'torn.csv'
        $journal = Join-Path $TestDrive 'torn.journal'
        New-RowsCsv $csv @('A,919970000001,1', 'B,919970000002,2')
        $null = Import-Csv $csv | Select-Object -First 1 | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } -JournalPath $journal
        [System.IO.File]::AppendAllText($journal, '{"k":"abc#1","s":"P","n":"9199')   # a crash mid-write
        $null = Import-Csv $csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } -JournalPath $journal -WarningVariable w -WarningAction SilentlyContinue -SummaryVariable s
        $w[0].Message | Should -BeLike '*cut short*'
        $s.Sent | Should -Be 1
        $s.Skipped | Should -Be 1
        (Get-SobotJournal $journal -Summary).Sent | Should -Be 2
        @(Get-EmulatorMessage $emulator).Count | Should -Be 2
    }

    It 'refuses a file that is not a journal with its own error, not "in use"' {
        $notJournal = Join-Path $TestDrive 'customers.csv'
        New-RowsCsv $notJournal @('A,919970000001,1')
        { Send-SobotTextMessage -CustomerNumber 919970000001 -Message hi -JournalPath $notJournal } |
            Should -Throw -ErrorId 'SobotJournalUnusable,SobotPS.Commands.SendSobotTextMessageCommand' -ExpectedMessage '*not a SobotPS send journal*'
        @(Get-EmulatorMessage $emulator).Count | Should -Be 0
    }

    It 'holds an operating-system lock: a second run is refused, and no marker file exists to delete' {
        $csv = Join-Path $TestDrive 'locked.csv'
        $journal = Join-Path $TestDrive 'locked.journal'
        New-RowsCsv $csv (1..200 | ForEach-Object { "C$_,9199700{0:00000},$_" -f $_ })
        Set-EmulatorFault $emulator @{ latency_ms = 50 }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModuleManifest'; Connect-Sobot -AccessKey demo-access-key -SecretKey (ConvertTo-SecureString demo-secret-key -AsPlainText -Force) -BaseUri '$($emulator.BaseUri)'; Import-Csv '$csv' | Send-SobotTemplate -TemplateName order_update -BodyParameter { `$_.OrderId } -JournalPath '$journal' -ThrottleLimit 1 | Out-Null")
            $handle = $ps.BeginInvoke()
            Wait-Until { @(Get-EmulatorMessage $emulator).Count -ge 2 }   # the run holds the journal
            Get-ChildItem (Split-Path $journal) -Filter 'locked.journal*' | ForEach-Object Name | Should -Be 'locked.journal'
            { Import-Csv $csv | Send-SobotTemplate -TemplateName order_update -BodyParameter { $_.OrderId } -JournalPath $journal } |
                Should -Throw -ErrorId 'SobotJournalInUse,SobotPS.Commands.SendSobotTemplateCommand'
        }
        finally {
            $ps.Stop()
            $ps.Dispose()
            Set-EmulatorFault $emulator @{ latency_ms = 0 }
        }
    }
}
