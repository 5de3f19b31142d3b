BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $examples = Join-Path $RepoRoot 'examples'

    # Runs an example the way a scheduled task would: a fresh pwsh, keys in the environment, the module by name.
    function Invoke-Example([string] $Script, [string[]] $Arguments) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', (Join-Path $examples $Script)) + $Arguments) { $psi.ArgumentList.Add($a) }
        $psi.Environment['SOBOT_ACCESS_KEY'] = $emulator.AccessKey
        $psi.Environment['SOBOT_SECRET_KEY'] = $emulator.SecretKey
        $psi.Environment['SOBOT_BASE_URI'] = $emulator.BaseUri
        $psi.Environment['PSModulePath'] = (Split-Path (Split-Path $ModuleManifest)) + [IO.Path]::PathSeparator + $env:PSModulePath
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $p = [System.Diagnostics.Process]::Start($psi)
        $stderr = $p.StandardError.ReadToEndAsync()
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $out; Error = $stderr.Result }
    }

    $emulator = Start-TestEmulator
}

AfterAll { $emulator | Stop-SobotEmulator }

Describe 'examples/' {
    BeforeEach { Reset-Emulator $emulator }

    It 'Sync-Templates.ps1 plans with -WhatIf, creates, and creates nothing the second time' {
        $plan = Invoke-Example 'Sync-Templates.ps1' @('-WhatIf')
        $plan.ExitCode | Should -Be 0
        $plan.Output | Should -Match 'disk_space_alert\s+en\s+WouldCreate'
        $first = Invoke-Example 'Sync-Templates.ps1' @()
        $first.Output | Should -Match 'order_shipped\s+en\s+Created'
        $second = Invoke-Example 'Sync-Templates.ps1' @()
        $second.ExitCode | Should -Be 0
        $second.Output | Should -Not -Match 'Created'
        $second.Output | Should -Match 'feedback_request\s+en\s+UpToDate\s+Pending'
    }

    It 'Send-DiskSpaceAlert.ps1 sends the approved alert template for each full disk' {
        $null = Invoke-Example 'Sync-Templates.ps1' @()
        $null = Invoke-RestMethod -Method Post "$($emulator.BaseUri)/_emulator/templates/disk_space_alert/status" -ContentType application/json -Body '{"status":1}'
        $run = Invoke-Example 'Send-DiskSpaceAlert.ps1' @('-Phone', '919970585556', '-ThresholdPercent', '0')
        $run.ExitCode | Should -Be 0
        $sent = @(Get-EmulatorMessage $emulator)
        $sent.Count | Should -BeGreaterThan 0
        $sent[0].body.template_name | Should -Be 'disk_space_alert'
        $sent[0].body.params[0].parameters[1].text | Should -Be ([Environment]::MachineName)
    }

    It 'Send-NightlyCampaign.ps1 resumes without sending anything twice' {
        $journal = Join-Path $TestDrive 'nightly.journal'
        $csv = Join-Path $examples 'customers.csv'
        $first = Invoke-Example 'Send-NightlyCampaign.ps1' @('-CsvPath', $csv, '-JournalPath', $journal)
        $first.ExitCode | Should -Be 0
        $first.Output | Should -Match 'sent 5, failed 0, skipped 0'
        $again = Invoke-Example 'Send-NightlyCampaign.ps1' @('-CsvPath', $csv, '-JournalPath', $journal)
        $again.ExitCode | Should -Be 0
        $again.Output | Should -Match 'sent 0, failed 0, skipped 5'
        @(Get-EmulatorMessage $emulator).Count | Should -Be 5
    }

    It 'Send-DiskSpaceAlert.ps1 prints its summary and exits 1 when an alert could not be sent, as a scheduler needs' {
        $null = Invoke-Example 'Sync-Templates.ps1' @()
        $null = Invoke-RestMethod -Method Post "$($emulator.BaseUri)/_emulator/templates/disk_space_alert/status" -ContentType application/json -Body '{"status":1}'
        $run = Invoke-Example 'Send-DiskSpaceAlert.ps1' @('-Phone', '12345', '-ThresholdPercent', '0')
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match 'Sobot: \d+ rows?: sent 0, failed [1-9]'
        $run.Error | Should -Match '12345'
    }

    It 'Send-NightlyCampaign.ps1 exits 1 with the summary on standard output when a row failed' {
        $journal = Join-Path $TestDrive 'bad.journal'
        $csv = Join-Path $TestDrive 'bad.csv'
        (Get-Content (Join-Path $examples 'customers.csv')) + 'Broken Row,12,999' | Set-Content $csv
        $run = Invoke-Example 'Send-NightlyCampaign.ps1' @('-CsvPath', $csv, '-JournalPath', $journal)
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match 'Sobot: 6 rows: sent 5, failed 1'
        $run.Error | Should -Match 'CSV line 7 \(12\)'
    }

    It 'Import-Customers.ps1 imports a CSV and is quiet about customers already there' {
        $csv = Join-Path $examples 'customers.csv'
        (Invoke-Example 'Import-Customers.ps1' @('-CsvPath', $csv)).Output | Should -Match 'Added: 5; already there: 0; failed: 0'
        $again = Invoke-Example 'Import-Customers.ps1' @('-CsvPath', $csv)
        $again.Output | Should -Match 'Added: 0; already there: 5; failed: 0'
        $again.ExitCode | Should -Be 0
        $bad = Join-Path $TestDrive 'bad-customers.csv'
        @('Name,Mobile', 'Broken,12') | Set-Content $bad
        $failing = Invoke-Example 'Import-Customers.ps1' @('-CsvPath', $bad, '-FailedPath', (Join-Path $TestDrive 'failed.csv'))
        $failing.ExitCode | Should -Be 1
        $failing.Output | Should -Match 'failed: 1'
    }
}
