BeforeDiscovery {
    $manifest = Join-Path $PSScriptRoot '../../out/SobotPS/SobotPS.psd1'
    $script:cmdlets = (Test-ModuleManifest $manifest -ErrorAction SilentlyContinue).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $common = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll { $help = Get-Help $Name -Full }

    It 'has a written synopsis and description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$Name *[<]*"   # not the syntax PowerShell shows when there is no help
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, one of them a pipeline' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        ($examples.code -join "`n") | Should -Match '\|'
        (Get-Help $Name -Examples | Out-String) | Should -Match 'Example 2'
    }

    It 'describes every parameter, and Get-Help -Parameter shows it' {
        $command = Get-Command $Name
        $shown = $command.Parameters.Values | Where-Object { $_.Name -notin $common -and -not ($_.Attributes | Where-Object { $_ -is [Parameter] -and $_.DontShow }) }
        foreach ($p in $shown) {
            $h = Get-Help $Name -Parameter $p.Name
            ($h.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($p.Name) of $Name"
        }
    }

    It 'names its inputs, outputs and related links' {
        $help.inputTypes | Should -Not -BeNullOrEmpty
        $help.returnValues | Should -Not -BeNullOrEmpty
        @($help.relatedLinks.navigationLink).Count | Should -BeGreaterThan 0
    }
}

Describe 'about_SobotPS' {
    It 'covers connecting, scheduled tasks, the emulator, journals, pacing, errors and the 24-hour rule' {
        $about = Get-Help about_SobotPS | Out-String
        foreach ($topic in 'CONNECTING', 'SCHEDULED TASKS', 'THE EMULATOR', 'JOURNALS AND RESUMING', 'PACING', 'ERROR HANDLING', 'THE 24-HOUR RULE') {
            $about | Should -Match $topic
        }
    }

    It 'and the module''s description cover the listening half: receiver, waits, opt-outs, windows, reports, outages, exit codes' {
        $about = Get-Help about_SobotPS | Out-String
        foreach ($topic in 'THE WEBHOOK RECEIVER', 'WAITING FOR ANSWERS', 'OPT-OUTS AND THE 24-HOUR WINDOW', 'CAMPAIGN REPORTS', 'OUTAGES', 'EXIT CODES') {
            $about | Should -Match $topic
        }
        $description = (Test-ModuleManifest $ModuleManifest).Description
        foreach ($word in 'webhook receiver', 'replies', 'opt-outs', '24-hour window', 'outage') { $description | Should -BeLike "*$word*" }
    }
}

Describe 'The help build gate' {
    BeforeAll {
        $docs = Join-Path $TestDrive 'docs'
        Copy-Item (Join-Path $RepoRoot 'docs/en-US') $docs -Recurse
        function Invoke-HelpCompiler {
            & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'build/HelpCompiler.ps1') `
                -ModuleManifest $ModuleManifest -DocsPath $docs -OutPath (Join-Path $TestDrive 'out') 2>&1 | Out-String
            $LASTEXITCODE
        }
    }
    AfterEach { Copy-Item (Join-Path $RepoRoot 'docs/en-US/*') $docs -Force; Remove-Item (Join-Path $docs 'Extra-Thing.md') -ErrorAction SilentlyContinue }

    It 'passes on the real pages' {
        Invoke-HelpCompiler | Select-Object -Last 1 | Should -Be 0
    }

    It 'fails when a parameter has no entry' {
        $page = Join-Path $docs 'Send-SobotTemplate.md'
        $text = Get-Content -Raw $page
        $cut = $text -replace '(?s)### -UrlButtonIndex\n.*?```yaml.*?```\n', ''
        $cut | Should -Not -Be $text
        $cut | Set-Content $page
        Invoke-HelpCompiler | Select-Object -Last 1 | Should -Not -Be 0
    }

    It 'fails when a cmdlet has no page, or a page names a parameter the cmdlet does not have' {
        Remove-Item (Join-Path $docs 'Get-SobotJournal.md')
        Invoke-HelpCompiler | Select-Object -Last 1 | Should -Not -Be 0
        Copy-Item (Join-Path $RepoRoot 'docs/en-US/Get-SobotJournal.md') $docs
        $page = Join-Path $docs 'Get-SobotJournal.md'
        (Get-Content -Raw $page) -replace '## INPUTS', "### -Colour`nNot a parameter.`n`n``````yaml`nType: String`n``````n`n## INPUTS" | Set-Content $page
        Invoke-HelpCompiler | Select-Object -Last 1 | Should -Not -Be 0
    }
}
