BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $examples = Join-Path $RepoRoot 'examples'

    # Starts an example the way a scheduled task runs it: a fresh pwsh, -NonInteractive -File, stdin closed, the
    # module by name, and of the SOBOT_* variables only those in $Environment (a $null value leaves one out).
    function Start-Example([string] $Script, [string[]] $Arguments, [hashtable] $Environment) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', (Join-Path $examples $Script)) + $Arguments) { $psi.ArgumentList.Add($a) }
        foreach ($name in @($psi.Environment.Keys | Where-Object { $_ -like 'SOBOT_*' })) { $null = $psi.Environment.Remove($name) }
        foreach ($e in $Environment.GetEnumerator()) { if ($null -ne $e.Value) { $psi.Environment[$e.Key] = [string]$e.Value } }
        $psi.Environment['PSModulePath'] = (Split-Path (Split-Path $ModuleManifest)) + [IO.Path]::PathSeparator + $env:PSModulePath
        $psi.WorkingDirectory = $TestDrive
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $p.StandardInput.Close()
        [pscustomobject]@{ Process = $p; Output = $p.StandardOutput.ReadToEndAsync(); Error = $p.StandardError.ReadToEndAsync() }
    }

    function Complete-Example($Run) {
        $Run.Process.WaitForExit()
        [pscustomobject]@{ ExitCode = $Run.Process.ExitCode; Output = $Run.Output.Result; Error = $Run.Error.Result }
    }

    function Invoke-Example([string] $Script, [string[]] $Arguments, [hashtable] $Environment = (Get-TaskEnvironment $emulator)) {
        Complete-Example (Start-Example $Script $Arguments $Environment)
    }

    # What a task's environment file holds: the keys, and the receiver's query API when given.
    function Get-TaskEnvironment($Emulator, $Receiver) {
        $environment = @{ SOBOT_ACCESS_KEY = $Emulator.AccessKey; SOBOT_SECRET_KEY = $Emulator.SecretKey; SOBOT_BASE_URI = $Emulator.BaseUri }
        if ($Receiver) {
            $environment.SOBOT_RECEIVER_URI = "$($Receiver.QueryUrl)"
            $environment.SOBOT_RECEIVER_KEY = $Receiver.QueryKey | ConvertFrom-SecureString -AsPlainText
        }
        $environment
    }

    # The approved template Send-DiskSpaceAlert.ps1 sends, created as that script's help says to create it once. Made
    # here, in this process: running Sync-Templates.ps1 for it would only repeat that example's own test.
    function New-ApprovedAlertTemplate {
        $connection = Connect-TestEmulator $emulator -PassThru
        try { $null = New-SobotTemplate -Connection $connection -Name disk_space_alert -Category Utility -Body 'Disk {{1}} on {{2}} is {{3}}% full.' -BodyExample 'C:', 'web01', 93 }
        finally { Disconnect-Sobot }
        $null = Invoke-RestMethod -Method Post "$($emulator.BaseUri)/_emulator/templates/disk_space_alert/status" -ContentType application/json -Body '{"status":1}'
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
        New-ApprovedAlertTemplate
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
        New-ApprovedAlertTemplate
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
        $bad = Join-Path $TestDrive 'bad-customers.csv'
        @('Name,Mobile', 'Broken,12') | Set-Content $bad
        # The failing import shares no customer with the others: it runs alongside the first.
        $failingRun = Start-Example 'Import-Customers.ps1' @('-CsvPath', $bad, '-FailedPath', (Join-Path $TestDrive 'failed.csv')) (Get-TaskEnvironment $emulator)
        (Invoke-Example 'Import-Customers.ps1' @('-CsvPath', $csv)).Output | Should -Match 'Added: 5; already there: 0; failed: 0'
        $again = Invoke-Example 'Import-Customers.ps1' @('-CsvPath', $csv)
        $again.Output | Should -Match 'Added: 0; already there: 5; failed: 0'
        $again.ExitCode | Should -Be 0
        $failing = Complete-Example $failingRun
        $failing.ExitCode | Should -Be 1
        $failing.Output | Should -Match 'failed: 1'
    }
}

# The examples that listen, each run as a scheduled task would run it, in every way a setup can fail: a broken setup
# must never read as a decision (exit 3: could not ask or could not listen).
Describe 'examples that listen, run as a scheduled task' {
    BeforeAll {
        $receiver = Start-SobotReceiver -Path (Join-Path $TestDrive 'listening/events.db')
        $listening = Start-TestEmulator -ArgumentList '--no-window', '--webhook-url', ($receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText), '--status-delay-ms', 'sent=20,delivered=40,read=60'
        $environment = Get-TaskEnvironment $listening $receiver
        Connect-Sobot -AccessKey $listening.AccessKey -SecretKey (ConvertTo-TestSecret $listening.SecretKey) -BaseUri $listening.BaseUri -Receiver $receiver
        Open-ReceiverWindow $listening '919970589001', '919970589002', '919970589003', '919970589006', '919970589010'

        function Get-Question([string] $Number) { @(Get-EmulatorMessage $listening | Where-Object customer_number -eq $Number) }

        # Runs Request-Approval.ps1 and answers its question as the customer would (or not, with no -Answer).
        function Invoke-Approval([string] $Number, [string] $Answer, [string[]] $More = @(), [hashtable] $Environment = $environment) {
            $run = Start-Example 'Request-Approval.ps1' (@('-Phone', $Number) + $More) $Environment
            if ($Answer) {
                Wait-Until { (Get-Question $Number).Count -ge 1 } -TimeoutSec 60
                $null = Send-SobotEmulatorReply $listening -MessageId (Get-Question $Number)[0].id -ButtonText $Answer
            }
            Complete-Example $run
        }

        # The task's environment with some variables changed ($null: left out; 'closed': a loopback port nobody listens on).
        function New-BrokenEnvironment([hashtable] $Change) {
            $changed = $environment.Clone()
            foreach ($c in $Change.GetEnumerator()) {
                $changed[$c.Key] = if ($c.Value -ne 'closed') { $c.Value } else {
                    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
                    $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
                    "http://127.0.0.1:$port"
                }
            }
            $changed
        }
    }

    AfterAll {
        Disconnect-Sobot
        $listening | Stop-SobotEmulator
        $receiver | Stop-SobotReceiver
    }

    Context 'Request-Approval.ps1' {
        It 'acts on Yes and exits 0' {
            $result = Invoke-Approval '919970589001' -Answer Yes -More '-TimeoutSec', '60'
            $result.ExitCode | Should -Be 0
            $result.Output | Should -BeLike '*Approved by 919970589001*Cache cleared.*'
        }

        It 'exits 1 on No, without running the action' {
            $result = Invoke-Approval '919970589002' -Answer No -More '-TimeoutSec', '60'
            $result.ExitCode | Should -Be 1
            $result.Output | Should -BeLike '*Declined by 919970589002*'
            $result.Output | Should -Not -BeLike '*Cache cleared*'
        }

        It 'exits 2 when nobody answers in time' {
            # Nobody ever answers: the shortest wait the script takes shows the same outcome as a long one.
            $result = Invoke-Approval '919970589003' -More '-TimeoutSec', '1'
            $result.ExitCode | Should -Be 2
            $result.Output | Should -BeLike '*No answer from 919970589003 within 1 s*'
        }

        It 'exits 3 without sending when the 24-hour window is closed and no fallback template is given' {
            $result = Invoke-Approval '919970589004' -More '-TimeoutSec', '2'
            $result.ExitCode | Should -Be 3
            $result.Output | Should -BeLike '*could not be sent*'
            $result.Error | Should -BeLike '*never opened*'
            (Get-Question '919970589004').Count | Should -Be 0
        }

        # Each broken setup asks its own number; the four runs are independent, so they run side by side.
        Context 'set up wrong' -ForEach @(@{ Cases = @(
                    @{ What = 'the receiver is down'; Number = '919970589051'; Change = @{ SOBOT_RECEIVER_URI = 'closed' }; Says = '*Could not ask or listen*' }
                    @{ What = 'the receiver refuses its key'; Number = '919970589052'; Change = @{ SOBOT_RECEIVER_KEY = 'wrong-key-wrong-key-wrong-key-wrong-key' }; Says = '*Could not ask or listen*' }
                    @{ What = 'the environment lacks the receiver'; Number = '919970589053'; Change = @{ SOBOT_RECEIVER_URI = $null; SOBOT_RECEIVER_KEY = $null }; Says = '*SOBOT_RECEIVER_URI*' }
                    @{ What = 'the environment lacks the keys'; Number = '919970589054'; Change = @{ SOBOT_ACCESS_KEY = $null; SOBOT_SECRET_KEY = $null }; Says = '*No keys given*' }
                ) }) {
            BeforeAll {
                $runs = @{}
                foreach ($c in $Cases) { $runs[$c.What] = Start-Example 'Request-Approval.ps1' @('-Phone', $c.Number, '-TimeoutSec', '5') (New-BrokenEnvironment $c.Change) }
            }

            # Runs no test completed (one It run alone) are waited for here, so none outlives the file.
            AfterAll { foreach ($run in $runs.Values) { $null = Complete-Example $run } }

            It 'exits 3 without asking when <What>' -ForEach $Cases {
                $result = Complete-Example $runs[$What]
                $result.ExitCode | Should -Be 3
                $result.Output | Should -BeLike $Says
                (Get-Question $Number).Count | Should -Be 0
            }
        }

        It 'exits 3, not 2, when its receiver goes away during the wait' {
            # A receiver of its own, stopped once the question is out; the fallback template asks though this
            # receiver has never seen the number write. The script's wait must still be running when the receiver
            # stops (else it ends 2, "no answer"), so it gets 20 s: room for a loaded machine to stop the receiver.
            $own = Start-SobotReceiver -Path (Join-Path $TestDrive 'goes-away/events.db')
            $gone = $environment.Clone()
            $gone.SOBOT_RECEIVER_URI = "$($own.QueryUrl)"
            $gone.SOBOT_RECEIVER_KEY = $own.QueryKey | ConvertFrom-SecureString -AsPlainText
            $run = Start-Example 'Request-Approval.ps1' @('-Phone', '919970589008', '-TimeoutSec', '20', '-FallbackTemplate', 'order_update') $gone
            Wait-Until { (Get-Question '919970589008').Count -ge 1 } -TimeoutSec 60
            $own | Stop-SobotReceiver
            $result = Complete-Example $run
            $result.Output | Should -Not -BeLike '*could not be sent*'
            $result.ExitCode | Should -Be 3
            $result.Output | Should -BeLike '*Could not listen*'
        }
    }

    Context 'Send-CampaignReport.ps1' {
        BeforeAll {
            $journal = Join-Path $TestDrive 'report.journal'
            $null = '919970589101', '919970589102' | ForEach-Object { [pscustomobject]@{ Phone = $_ } } | Send-SobotTemplate -TemplateName hello_world -JournalPath $journal
        }

        # The one run of this example that succeeds (Campaign.Tests.ps1 tests the report itself).
        It 'exits 0 with the summary line and writes the page beside the journal when the receiver answers' {
            $result = Invoke-Example 'Send-CampaignReport.ps1' @('-JournalPath', $journal) $environment
            $result.ExitCode | Should -Be 0
            $result.Output | Should -Match 'Campaign report: submitted 2, delivered \d+'
            Test-Path ([IO.Path]::ChangeExtension($journal, '.html')) | Should -BeTrue
        }

        # The four broken setups are independent runs, side by side.
        Context 'set up wrong' -ForEach @(@{ Cases = @(
                    @{ What = 'the receiver is down'; Change = @{ SOBOT_RECEIVER_URI = 'closed' } }
                    @{ What = 'the receiver refuses its key'; Change = @{ SOBOT_RECEIVER_KEY = 'wrong-key-wrong-key-wrong-key-wrong-key' } }
                    @{ What = 'the environment lacks the receiver'; Change = @{ SOBOT_RECEIVER_URI = $null; SOBOT_RECEIVER_KEY = $null } }
                    @{ What = 'the environment lacks the keys'; Change = @{ SOBOT_ACCESS_KEY = $null; SOBOT_SECRET_KEY = $null } }
                ) }) {
            BeforeAll {
                $runs = @{}
                foreach ($c in $Cases) { $runs[$c.What] = Start-Example 'Send-CampaignReport.ps1' @('-JournalPath', $journal) (New-BrokenEnvironment $c.Change) }
            }

            AfterAll { foreach ($run in $runs.Values) { $null = Complete-Example $run } }

            It 'exits 3 when <What>' -ForEach $Cases {
                $result = Complete-Example $runs[$What]
                $result.ExitCode | Should -Be 3
                $result.Output | Should -Not -BeLike '*submitted*'
            }
        }
    }
}

Describe 'The scheduling lines of the README' {
    BeforeAll {
        # The keys exactly as the README's environment file holds them: VAR=value lines, mode 0600.
        $envFile = Join-Path $TestDrive 'sobot.env'
        Set-Content $envFile -Value @(
            '# Sobot keys'
            "SOBOT_ACCESS_KEY=$($emulator.AccessKey)"
            "SOBOT_SECRET_KEY=$($emulator.SecretKey)"
            "SOBOT_BASE_URI='$($emulator.BaseUri)'"
        )
        chmod 600 $envFile
        $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
        $pwsh = "dotnet '$(Join-Path $PSHOME 'pwsh.dll')'"
        # What pwsh sees: the keys' lengths (never the keys) and the base URI, on one line.
        $show = '-NoProfile -NonInteractive -Command ''"$($env:SOBOT_ACCESS_KEY.Length) $($env:SOBOT_SECRET_KEY.Length) [$env:SOBOT_BASE_URI]"'''
        $expected = "$($emulator.AccessKey.Length) $($emulator.SecretKey.Length) [$($emulator.BaseUri)]"

        function Invoke-Shell([string] $Shell, [string] $Line) {
            $out = & $Shell -c $Line 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($out) }
        }
    }

    It 'exports the environment file to pwsh with the documented cron line, in <Shell>' -ForEach @(@{ Shell = 'bash' }, @{ Shell = 'sh' }) {
        $readme -match '(?m)^\s*\*/15 \* \* \* \* (?<prefix>.+?) pwsh (?<rest>.+)$' | Should -BeTrue
        $prefix = $Matches.prefix
        $prefix | Should -Be 'set -a; . /etc/sobot.env; set +a;'
        $result = Invoke-Shell $Shell ($prefix.Replace('/etc/sobot.env', $envFile) + " $pwsh $show")
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Be $expected
    }

    It 'shows why: the old line, ". file && pwsh", sets the variables without exporting them' {
        $result = Invoke-Shell 'sh' ". $envFile && $pwsh $show"
        $result.Output | Should -Be '0 0 []'
        $expected | Should -Not -Be '0 0 []'
    }

    It 'names no scheduling line that does not export the file' {
        $documents = @(Get-ChildItem (Join-Path $RepoRoot 'examples') -Filter '*.ps1') + (Get-Item (Join-Path $RepoRoot 'README.md'))
        $documents | Where-Object { (Get-Content -Raw $_) -match '\. /etc/sobot\.env &&' } | Should -BeNullOrEmpty
        # Every cron line of the examples exports what it sources.
        $cron = $documents | ForEach-Object { Get-Content $_ } | Where-Object { $_ -match '^\s*[0-9*/,]+ [0-9*/,]+ \* \* \* .*sobot\.env' }
        @($cron).Count | Should -BeGreaterThan 2
        $cron | Where-Object { $_ -notmatch 'set -a; \. /etc/sobot\.env; set \+a; pwsh ' } | Should -BeNullOrEmpty
    }

    It 'runs a script with the environment file for the Windows Task Scheduler, and passes its exit code on' {
        # Three independent runs (only the first reaches the emulator), side by side.
        $runs = @(
            Start-Example 'Invoke-WithEnvironment.ps1' @('-EnvironmentFile', $envFile, (Join-Path $examples 'Send-NightlyCampaign.ps1'),
                '-CsvPath', (Join-Path $examples 'customers.csv'), '-JournalPath', (Join-Path $TestDrive 'scheduled.journal')) @{}
            Start-Example 'Invoke-WithEnvironment.ps1' @('-EnvironmentFile', (Join-Path $TestDrive 'none.env'), (Join-Path $examples 'Send-NightlyCampaign.ps1')) @{}
            Start-Example 'Invoke-WithEnvironment.ps1' @('-EnvironmentFile', $envFile, (Join-Path $examples 'Import-Customers.ps1'), '-CsvPath', (Join-Path $TestDrive 'nope.csv')) @{}
        )
        $result, $missing, $failing = $runs | ForEach-Object { Complete-Example $_ }
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Match 'sent 5, failed 0'
        $missing.ExitCode | Should -Be 3
        $failing.ExitCode | Should -Not -Be 0
    }
}
