# The CSV examples as a scheduled task runs them from its own folder: a bare file name for -CsvPath, a CSV saved as
# UTF-8 without a byte order mark holding names that are not ASCII, and the CSV they write: UTF-8, no #TYPE line.
# (The same lines with -Encoding UTF8 and -NoTypeInformation are what makes Windows PowerShell 5.1 do the same;
# WindowsPowerShell.Tests.ps1 checks they are there.)
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:emulator = Start-TestEmulator

    # A task's folder holding customers.csv, written as UTF-8 without a byte order mark.
    function New-TaskFolder([string] $Name, [string[]] $Lines) {
        $folder = Join-Path $TestDrive $Name
        $null = New-Item -ItemType Directory $folder
        [System.IO.File]::WriteAllText((Join-Path $folder 'customers.csv'), ($Lines -join "`n") + "`n", [System.Text.UTF8Encoding]::new($false))
        $folder
    }
}

AfterAll { $emulator | Stop-SobotEmulator }

Describe 'The CSV examples, run from the task''s folder with a bare file name' {
    BeforeEach { Reset-Emulator $emulator }

    It 'Import-Customers.ps1 -CsvPath customers.csv reads UTF-8 names and writes failed-customers.csv beside it, UTF-8 without a #TYPE line' {
        $folder = New-TaskFolder 'import' 'Name,Mobile', 'Jürgen Müller,919970581234', 'Zoë Dsouza,12'
        $run = Complete-ScheduledExample (Start-ScheduledExample 'Import-Customers.ps1' @('-CsvPath', 'customers.csv') $emulator -WorkingDirectory $folder)
        $run.Error | Should -Not -Match 'Cannot bind argument'
        $run.Output | Should -Match 'Added: 1; already there: 0; failed: 1'
        $run.ExitCode | Should -Be 1
        $customers = Invoke-RestMethod "$($emulator.BaseUri)/_emulator/customers"
        @($customers).name | Should -Contain 'Jürgen Müller'
        $failed = Join-Path $folder 'failed-customers.csv'
        Test-Path $failed | Should -BeTrue
        $bytes = [System.IO.File]::ReadAllBytes($failed)
        $text = [System.Text.UTF8Encoding]::new($false, $true).GetString($bytes)   # throws on bytes that are not UTF-8
        $text.TrimStart([char]0xFEFF) | Should -Not -BeLike '#TYPE*'
        $text | Should -BeLike '*Zoë Dsouza*'
    }

    It 'Send-NightlyCampaign.ps1 -CsvPath customers.csv sends the UTF-8 names as written' {
        $folder = New-TaskFolder 'nightly' 'Name,Mobile,OrderId', 'Jürgen Müller,919970581235,42', 'Zoë Dsouza,919970581236,43'
        $run = Complete-ScheduledExample (Start-ScheduledExample 'Send-NightlyCampaign.ps1' @('-CsvPath', 'customers.csv', '-JournalPath', 'nightly.journal') $emulator -WorkingDirectory $folder)
        $run.Output | Should -Match 'sent 2, failed 0'
        $run.ExitCode | Should -Be 0
        (Get-EmulatorMessage $emulator).customer_name | Sort-Object | Should -Be 'Jürgen Müller', 'Zoë Dsouza'
        Test-Path (Join-Path $folder 'nightly.journal') | Should -BeTrue
    }
}
