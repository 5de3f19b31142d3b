# What a user sees of the help, in the built module. The build's help gate (build/HelpCompiler.ps1) already refuses a
# page without synopsis, description, two examples (one a pipeline), an entry for every parameter, inputs, outputs or
# related links, and tests/SobotPS.InProcess.Tests (HelpGateTests) proves the gate names each such gap. What is left to
# check here is that Get-Help finds and reads the compiled help (file name, folder, MAML it can parse) for every cmdlet,
# and the about topic's content. The examples themselves run in Examples.Tests.ps1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Get-Help' {
    It 'shows the written help of every cmdlet in the built module: synopsis, description, examples, every parameter, inputs, outputs, links' {
        $common = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name
        $cmdlets = @(Get-Command -Module SobotPS -CommandType Cmdlet)
        $cmdlets.Count | Should -Be 42
        $problems = foreach ($command in $cmdlets) {
            $name = $command.Name
            $help = Get-Help $name -Full
            # Without compiled help, Get-Help makes a synopsis of the syntax ("Name [-Param] <type> ...") and nothing else.
            if (-not $help.Synopsis -or $help.Synopsis -like "$name *[<]*" -or $help.Synopsis -like "*[[]-*") { "${name}: no written synopsis ('$($help.Synopsis)')" }
            if (-not ($help.description.Text -join ' ').Trim()) { "${name}: no description" }
            $examples = @($help.examples.example)
            if ($examples.Count -lt 2) { "${name}: $($examples.Count) example(s)" }
            if (($examples.code -join "`n") -notmatch '\|') { "${name}: no example with a pipeline" }
            $described = @{}
            foreach ($p in @($help.parameters.parameter) | Where-Object { $_ -and $_.name }) { $described[$p.name] = ($p.description.Text -join ' ').Trim() }
            foreach ($p in $command.Parameters.Values | Where-Object { $_.Name -notin $common -and -not ($_.Attributes | Where-Object { $_ -is [Parameter] -and $_.DontShow }) }) {
                if (-not $described[$p.Name]) { "${name}: -$($p.Name) has no description in Get-Help" }
            }
            if (-not $help.inputTypes) { "${name}: no inputs" }
            if (-not $help.returnValues) { "${name}: no outputs" }
            if (@($help.relatedLinks.navigationLink).Count -eq 0) { "${name}: no related links" }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'shows one parameter with -Parameter and numbered examples with -Examples' {
        $p = Get-Help Send-SobotTemplate -Parameter TemplateName
        $p.name | Should -Be 'TemplateName'
        ($p.description.Text -join ' ') | Should -Not -BeNullOrEmpty
        (Get-Help Send-SobotTemplate -Examples | Out-String) | Should -Match 'Example 2'
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
