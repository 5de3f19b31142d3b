# Every example users copy (the help pages in docs/en-US, about_SobotPS, the README, docs/receiver.md, the check in
# docs/design.md, examples/*.ps1) must run in
# Windows PowerShell 5.1, where most scheduled tasks still run, or say plainly that it needs PowerShell 7 and show the
# 5.1 form beside it. This file parses each example with the PowerShell parser and fails on what 5.1 lacks. It needs
# no built module: it reads the sources.
#
# The marker: inside one example (one code block, one script), a comment line "# PowerShell 7" starts lines that may
# use what only PowerShell 7 has, up to a comment line "# Windows PowerShell 5.1" (or the end); an example that has
# a "# PowerShell 7" part must also have a "# Windows PowerShell 5.1" part, and that part is checked like the rest.
#
#     # PowerShell 7:
#     $r.WebhookUrl | ConvertFrom-SecureString -AsPlainText
#     # Windows PowerShell 5.1:
#     [System.Net.NetworkCredential]::new('', $r.WebhookUrl).Password

BeforeDiscovery {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $documents = @(
        Get-ChildItem (Join-Path $root 'docs/en-US') -Filter *.md
        Get-Item (Join-Path $root 'README.md'), (Join-Path $root 'docs/receiver.md'), (Join-Path $root 'docs/design.md')
        Get-ChildItem (Join-Path $root 'examples') -Filter *.ps1
    ) | ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } }
}

BeforeAll {
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

    # What Windows PowerShell 5.1 lacks, in one place. Parameter '' means the whole command; Command '*' any command;
    # Unless: a pattern that, found in the same example, makes it run in 5.1 too (the module that brings the command).
    # Source: the cmdlet's reference page on learn.microsoft.com (its -view=powershell-5.1 page lacks the parameter or
    # the cmdlet) and the "What's New in PowerShell" page of the version given.
    $script:Pwsh7Only = @(
        @{ Command = 'ConvertFrom-SecureString'; Parameter = 'AsPlainText'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        @{ Command = 'ForEach-Object'; Parameter = 'Parallel'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        @{ Command = 'ForEach-Object'; Parameter = 'ThrottleLimit'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        @{ Command = 'ForEach-Object'; Parameter = 'TimeoutSeconds'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        @{ Command = 'ForEach-Object'; Parameter = 'AsJob'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        @{ Command = 'ConvertFrom-Json'; Parameter = 'AsHashtable'; Since = '6.0'; Source = 'ConvertFrom-Json reference, 6.0 change log' }
        @{ Command = 'ConvertFrom-Json'; Parameter = 'Depth'; Since = '6.2'; Source = 'ConvertFrom-Json reference, 6.2 change log' }
        @{ Command = 'ConvertFrom-Json'; Parameter = 'NoEnumerate'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        @{ Command = 'ConvertTo-Json'; Parameter = 'AsArray'; Since = '6.2'; Source = 'ConvertTo-Json reference, 6.2 change log' }
        @{ Command = 'ConvertTo-Json'; Parameter = 'EnumsAsStrings'; Since = '6.2'; Source = 'ConvertTo-Json reference, 6.2 change log' }
        @{ Command = 'ConvertTo-Json'; Parameter = 'EscapeHandling'; Since = '6.2'; Source = 'ConvertTo-Json reference, 6.2 change log' }
        foreach ($web in 'Invoke-RestMethod', 'Invoke-WebRequest') {
            foreach ($p in 'SkipCertificateCheck', 'SslProtocol', 'Authentication', 'Token', 'NoProxy', 'SkipHeaderValidation', 'AllowUnencryptedAuthentication', 'ResponseHeadersVariable') {
                @{ Command = $web; Parameter = $p; Since = '6.0'; Source = 'About the web cmdlets in PowerShell 6.0 (Invoke-RestMethod reference)' }
            }
            foreach ($p in 'Form', 'MaximumRetryCount', 'RetryIntervalSec', 'Resume') {
                @{ Command = $web; Parameter = $p; Since = '6.1'; Source = "What's New in PowerShell 6.1" }
            }
            foreach ($p in 'StatusCodeVariable', 'SkipHttpErrorCheck') {
                @{ Command = $web; Parameter = $p; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
            }
            @{ Command = $web; Parameter = 'HttpVersion'; Since = '7.3'; Source = "What's New in PowerShell 7.3" }
        }
        @{ Command = 'Invoke-RestMethod'; Parameter = 'FollowRelLink'; Since = '6.0'; Source = 'Invoke-RestMethod reference' }
        @{ Command = 'Join-Path'; Parameter = 'AdditionalChildPath'; Since = '6.0'; Source = 'Join-Path reference (5.1 takes one -ChildPath)' }
        @{ Command = 'Split-Path'; Parameter = 'LeafBase'; Since = '6.0'; Source = 'Split-Path reference' }
        @{ Command = 'Split-Path'; Parameter = 'Extension'; Since = '6.0'; Source = 'Split-Path reference' }
        foreach ($c in 'Get-Content', 'Set-Content', 'Add-Content') { @{ Command = $c; Parameter = 'AsByteStream'; Since = '6.0'; Source = "$c reference (5.1: -Encoding Byte)" } }
        foreach ($c in 'Export-Csv', 'ConvertTo-Csv') {
            @{ Command = $c; Parameter = 'IncludeTypeInformation'; Since = '6.0'; Source = "$c reference" }
            @{ Command = $c; Parameter = 'UseQuotes'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
            @{ Command = $c; Parameter = 'QuoteFields'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        }
        @{ Command = 'Get-Date'; Parameter = 'AsUTC'; Since = '7.1'; Source = "What's New in PowerShell 7.1" }
        @{ Command = 'Get-Date'; Parameter = 'UnixTimeSeconds'; Since = '7.1'; Source = "What's New in PowerShell 7.1" }
        @{ Command = 'Sort-Object'; Parameter = 'Top'; Since = '6.1'; Source = 'Sort-Object reference' }
        @{ Command = 'Sort-Object'; Parameter = 'Bottom'; Since = '6.1'; Source = 'Sort-Object reference' }
        @{ Command = 'Where-Object'; Parameter = 'Not'; Since = '6.1'; Source = 'Where-Object reference' }
        @{ Command = 'Get-Random'; Parameter = 'Shuffle'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        @{ Command = 'Select-String'; Parameter = 'Raw'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        @{ Command = 'Select-String'; Parameter = 'NoEmphasis'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        @{ Command = 'Test-Connection'; Parameter = 'TargetName'; Since = '6.0'; Source = 'Test-Connection reference (5.1: -ComputerName)' }
        @{ Command = 'Start-Process'; Parameter = 'Environment'; Since = '7.4'; Source = "What's New in PowerShell 7.4" }
        @{ Command = 'Import-Module'; Parameter = 'UseWindowsPowerShell'; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        @{ Command = '*'; Parameter = 'ProgressAction'; Since = '7.4'; Source = "What's New in PowerShell 7.4 (a new common parameter)" }
        @{ Command = 'Get-Error'; Parameter = ''; Since = '7.0'; Source = "What's New in PowerShell 7.0" }
        @{ Command = 'Test-Json'; Parameter = ''; Since = '6.1'; Source = "What's New in PowerShell 6.1" }
        @{ Command = 'Join-String'; Parameter = ''; Since = '6.2'; Source = 'Join-String reference' }
        @{ Command = 'Start-ThreadJob'; Parameter = ''; Since = '6.1'; Source = 'ThreadJob module: shipped from 6.1, a gallery install in 5.1' }
        @{ Command = 'Get-Uptime'; Parameter = ''; Since = '6.0'; Source = 'Get-Uptime reference' }
        @{ Command = 'Remove-Alias'; Parameter = ''; Since = '6.0'; Source = 'Remove-Alias reference' }
        @{ Command = 'Remove-Service'; Parameter = ''; Since = '6.0'; Source = 'Remove-Service reference' }
        @{ Command = 'ConvertFrom-Markdown'; Parameter = ''; Since = '6.1'; Source = "What's New in PowerShell 6.1" }
        @{ Command = 'Show-Markdown'; Parameter = ''; Since = '6.1'; Source = "What's New in PowerShell 6.1" }
        # PSResourceGet ships with PowerShell 7.4; Windows PowerShell 5.1 has it only once installed from the gallery.
        foreach ($c in 'Install-PSResource', 'Register-PSResourceRepository', 'Find-PSResource', 'Update-PSResource', 'Save-PSResource') {
            @{ Command = $c; Parameter = ''; Since = '7.4'; Source = "What's New in PowerShell 7.4 (PSResourceGet)"; Unless = 'Install-Module\s+Microsoft\.PowerShell\.PSResourceGet' }
        }
    )
    # -Encoding values 5.1 does not know (6.0: utf8NoBOM, utf8BOM; 7.4: ansi; 5.1 takes names only, not code pages).
    $script:Pwsh7Encodings = 'utf8NoBOM', 'utf8BOM', 'ansi'
    $script:Aliases = @{ '%' = 'ForEach-Object'; 'foreach' = 'ForEach-Object'; '?' = 'Where-Object'; 'where' = 'Where-Object'
        'gc' = 'Get-Content'; 'cat' = 'Get-Content'; 'type' = 'Get-Content'; 'ipcsv' = 'Import-Csv'; 'epcsv' = 'Export-Csv'
        'irm' = 'Invoke-RestMethod'; 'iwr' = 'Invoke-WebRequest'; 'sort' = 'Sort-Object'; 'select' = 'Select-Object'; 'sls' = 'Select-String' }
    $script:FileTypesRead = '\.(csv|tsv|json|jsonl)\b'

    # One example: its text, where it comes from (file and first line) and the document it belongs to.
    function New-Example([string] $File, [int] $Line, [string] $Text) { [pscustomobject]@{ File = $File; Line = $Line; Text = $Text } }

    # The PowerShell examples of one file: ```powershell blocks of Markdown (at any indent, as in a list item), the
    # indented blocks of an about_ topic (4 spaces or more after a blank line),
    # and for a script the script itself plus its comment help's examples and indented command lines.
    function Get-DocumentExample([string] $Path) {
        $name = Split-Path $Path -Leaf
        $lines = @(Get-Content -LiteralPath $Path -Encoding UTF8)
        if ($Path -like '*.ps1') {
            New-Example $name 1 ($lines -join "`n")
            $ast = [System.Management.Automation.Language.Parser]::ParseInput(($lines -join "`n"), [ref] $null, [ref] $null)
            $help = $ast.GetHelpContent()
            if ($help) {
                # An example is its code up to the first blank line; what follows is its remark.
                foreach ($e in $help.Examples) { New-Example "$name (.EXAMPLE)" 1 (($e.Trim() -split '\n\s*\n')[0]) }
                # Commands shown inside the description (a task's New-ScheduledTaskAction line, a template to create).
                foreach ($d in ($help.Description -split "`n")) {
                    if ($d -match '^\s{4,}(\$[\w:]+\s*=|[A-Z][a-z]+-[A-Z][A-Za-z]+\s)') { New-Example "$name (help)" 1 $d.Trim() }
                }
            }
            return
        }
        $about = $name -like 'about_*'
        # Strips up to $Indent leading spaces (a block's own indent; a line indented less keeps what it has).
        function Remove-Indent([string] $Text, [int] $Indent) { $Text -replace "^ {0,$Indent}", '' }
        for ($i = 0; $i -lt $lines.Count; $i++) {
            # A fence at any indent: a ```powershell block inside a list item is indented with the item's text.
            if ($lines[$i] -match '^( *)```powershell\s*$') {
                $indent = $Matches[1].Length
                $start = $i + 1; $block = @()
                for ($i++; $i -lt $lines.Count -and $lines[$i] -notmatch '^ *```\s*$'; $i++) { $block += Remove-Indent $lines[$i] $indent }
                New-Example $name ($start + 1) ($block -join "`n")
            }
            # An about_ topic's example: lines indented 4 spaces or more after a blank line (a list item's example is
            # indented further, with the item's text); the block goes on while lines keep at least that indent.
            elseif ($about -and $lines[$i] -match '^( {4,})\S' -and ($i -eq 0 -or $lines[$i - 1] -match '^\s*$')) {
                $indent = $lines[$i].Length - $lines[$i].TrimStart(' ').Length
                $start = $i; $block = @()
                for (; $i -lt $lines.Count -and $lines[$i] -match "^ {$indent}"; $i++) { $block += $lines[$i].Substring($indent) }
                # An about_ topic also indents shell lines (cron, dotnet): those are not PowerShell.
                if ($block[0] -notmatch '^([\d*/,-]+\s|dotnet\s|sudo\s|\$ )') { New-Example $name ($start + 1) ($block -join "`n") }
            }
        }
    }

    function New-Finding($Example, [int] $Line, [string] $Rule, [string] $Text) {
        [pscustomobject]@{ Where = "$($Example.File):$($Example.Line + $Line - 1)"; Rule = $Rule; Text = $Text }
    }

    # Why one example would not run (or would run wrongly) in Windows PowerShell 5.1; nothing when it runs there.
    function Test-WindowsPowerShellExample($Example) {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Example.Text, [ref] $tokens, [ref] $errors)
        foreach ($e in $errors) { New-Finding $Example $e.Extent.StartLineNumber 'does not parse' $e.Message }
        if ($errors) { return }

        # The lines marked as PowerShell 7 only, and whether the 5.1 form is there too.
        $textLines = $Example.Text -split "`n"
        $sevenOnly = [System.Collections.Generic.HashSet[int]]::new()
        $inSeven = $false; $hasSeven = $false; $hasFive = $false
        for ($n = 1; $n -le $textLines.Count; $n++) {
            $l = $textLines[$n - 1]
            if ($l -match '^\s*#\s*PowerShell 7\b') { $inSeven = $true; $hasSeven = $true }
            elseif ($l -match '^\s*#\s*Windows PowerShell 5\.1\b') { $inSeven = $false; $hasFive = $true }
            if ($inSeven) { $null = $sevenOnly.Add($n) }
        }
        if ($hasSeven -and -not $hasFive) { New-Finding $Example 1 'marked PowerShell 7 without the 5.1 form' 'add a "# Windows PowerShell 5.1:" part that does the same in 5.1' }

        $found = [System.Collections.Generic.List[object]]::new()
        $add = { param($node, $rule, $text) if (-not $sevenOnly.Contains($node.Extent.StartLineNumber)) { $found.Add((New-Finding $Example $node.Extent.StartLineNumber $rule $text)) } }
        $L = 'System.Management.Automation.Language'

        if ($ast.ScriptRequirements -and $ast.ScriptRequirements.RequiredPSVersion -and $ast.ScriptRequirements.RequiredPSVersion.Major -ge 6) {
            & $add $ast 'requires PowerShell 7' "#Requires -Version $($ast.ScriptRequirements.RequiredPSVersion)"
        }
        if ($ast.ScriptRequirements -and $ast.ScriptRequirements.RequiredPSEditions -contains 'Core') { & $add $ast 'requires PowerShell 7' '#Requires -PSEdition Core' }

        foreach ($node in $ast.FindAll({ $true }, $true)) {
            $type = $node.GetType().Name
            switch ($type) {
                'TernaryExpressionAst' { & $add $node 'PowerShell 7 syntax: ternary a ? b : c' $node.Extent.Text }
                'PipelineChainAst' { & $add $node 'PowerShell 7 syntax: pipeline chain && / ||' $node.Extent.Text }
                'BinaryExpressionAst' { if ($node.Operator -eq 'QuestionQuestion') { & $add $node 'PowerShell 7 syntax: ??' $node.Extent.Text } }
                'AssignmentStatementAst' { if ($node.Operator -eq 'QuestionQuestionEquals') { & $add $node 'PowerShell 7 syntax: ??=' $node.Extent.Text } }
                'MemberExpressionAst' { if ($node.NullConditional) { & $add $node 'PowerShell 7 syntax: ?.' $node.Extent.Text } }
                'InvokeMemberExpressionAst' { if ($node.NullConditional) { & $add $node 'PowerShell 7 syntax: ?.' $node.Extent.Text } }
                'IndexExpressionAst' { if ($node.NullConditional) { & $add $node 'PowerShell 7 syntax: ?[]' $node.Extent.Text } }
                'ScriptBlockAst' { if ($node.PSObject.Properties['CleanBlock'] -and $node.CleanBlock) { & $add $node.CleanBlock 'PowerShell 7 syntax: clean {} block' 'clean { ... }' } }
                'PipelineAst' { if ($node.Background) { & $add $node 'PowerShell 7 syntax: & to run in the background' $node.Extent.Text } }
                'VariableExpressionAst' {
                    if ($node.VariablePath.UserPath -in 'IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR') {
                        # Fine behind a check of the edition ($PSVersionTable.PSEdition -eq 'Core' -and $IsWindows).
                        $guarded = $false
                        for ($p = $node.Parent; $p -and $p -isnot [System.Management.Automation.Language.NamedBlockAst]; $p = $p.Parent) {
                            if ($p.Extent.Text -match 'PSEdition|PSVersion') { $guarded = $true; break }
                        }
                        if (-not $guarded) { & $add $node "PowerShell 7 variable: `$$($node.VariablePath.UserPath) is empty in 5.1" $node.Extent.Text }
                    }
                }
                'FileRedirectionAst' {
                    if ($node.Location.Extent.Text -match $FileTypesRead) { & $add $node 'redirection to a data file (UTF-16 in 5.1): use Out-File or Export-Csv with -Encoding UTF8' $node.Parent.Extent.Text }
                }
                'CommandAst' { foreach ($f in Test-Command $node) { & $add $node $f $node.Extent.Text } }
            }
        }
        $found
    }

    # The findings for one command: PowerShell 7 only commands and parameters, and CSV/JSON files without an encoding.
    function Test-Command($Command) {
        $name = $Command.GetCommandName()
        if (-not $name) { return }
        if ($Aliases.ContainsKey($name)) { $name = $Aliases[$name] }
        $parameters = @($Command.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] })
        # A parameter as written may be abbreviated: -Par is -Parallel.
        function Test-Parameter([string] $Full) { foreach ($p in $parameters) { if ($p.ParameterName.Length -ge 2 -and $Full.StartsWith($p.ParameterName, 'OrdinalIgnoreCase')) { return $p } } }
        $script = $Command.Extent.StartScriptPosition.GetFullScript()
        foreach ($entry in $Pwsh7Only) {
            if ($entry.Command -ne '*' -and $entry.Command -ne $name) { continue }
            if ($entry.Unless -and $script -match $entry.Unless) { continue }
            if (-not $entry.Parameter) { "PowerShell $($entry.Since) command: $name ($($entry.Source))" }
            elseif (Test-Parameter $entry.Parameter) { "PowerShell $($entry.Since) parameter: $name -$($entry.Parameter) ($($entry.Source))" }
        }
        # Join-Path a b c: more than one child path is -AdditionalChildPath.
        if ($name -eq 'Join-Path') {
            $positional = 0
            for ($i = 1; $i -lt $Command.CommandElements.Count; $i++) {
                $e = $Command.CommandElements[$i]
                if ($e -is [System.Management.Automation.Language.CommandParameterAst]) { if (-not $e.Argument) { $i++ }; continue }
                $positional++
            }
            if ($positional -gt 2) { "PowerShell 6.0 form: Join-Path with more than one child path (Join-Path reference; 5.1: nest Join-Path)" }
        }
        # 5.1's Get-Credential takes -UserName only with a -Message, which it makes mandatory (Get-Credential reference,
        # 5.0/5.1 syntax: [[-UserName] <String>] -Message <String>; optional from 6.0): without one a task stops to ask.
        if ($name -eq 'Get-Credential' -and (Test-Parameter 'UserName') -and -not (Test-Parameter 'Message')) {
            'Get-Credential -UserName without -Message: 5.1 prompts for the mandatory -Message'
        }
        $encoding = Test-Parameter 'Encoding'
        if ($encoding) {
            $value = if ($encoding.Argument) { $encoding.Argument } else { $Command.CommandElements[$Command.CommandElements.IndexOf($encoding) + 1] }
            if ($value -is [System.Management.Automation.Language.StringConstantExpressionAst] -and ($value.Value -in $Pwsh7Encodings -or $value.Value -match '^\d+$')) {
                "PowerShell 7 encoding: -Encoding $($value.Value) (5.1 knows UTF8, Unicode, ASCII, Default, ...)"
            }
        }
        if ($name -in 'Export-Csv', 'ConvertTo-Csv' -and -not (Test-Parameter 'NoTypeInformation') -and -not ($parameters | Where-Object ParameterName -eq 'NTI')) {
            "$name without -NoTypeInformation: 5.1 writes a #TYPE line first"
        }
        $dataFile = @($Command.CommandElements | Select-Object -Skip 1 | Where-Object { $_ -isnot [System.Management.Automation.Language.CommandParameterAst] -and $_.Extent.Text -match $FileTypesRead }).Count -gt 0
        if ($name -in 'Import-Csv', 'Export-Csv' -or ($name -in 'Get-Content', 'Set-Content', 'Add-Content', 'Out-File' -and $dataFile)) {
            if (-not $encoding) { "$name of a data file without -Encoding UTF8: 5.1 reads and writes the ANSI code page (or ASCII), so non-ASCII text is lost" }
        }
    }

    # A whole document: each example, and scheduling that names pwsh.exe must name powershell.exe too.
    function Test-WindowsPowerShellDocument([string] $Path) {
        foreach ($example in Get-DocumentExample $Path) { Test-WindowsPowerShellExample $example }
        $text = Get-Content -LiteralPath $Path -Raw -Encoding UTF8
        if ($Path -like '*.ps1') { Test-ScriptEncoding $Path }
        if ($text -match "-Execute\s+'pwsh\.exe'" -and $text -notmatch 'powershell\.exe') {
            [pscustomobject]@{ Where = (Split-Path $Path -Leaf); Rule = 'schedules pwsh.exe only'; Text = 'show the Windows PowerShell 5.1 form (powershell.exe) too' }
        }
    }

    # A script or manifest Windows PowerShell 5.1 reads: without a byte order mark it reads the file in the ANSI code
    # page, so text outside ASCII changes, and an em dash's last byte (0x94) becomes a closing quote that ends a string.
    function Test-ScriptEncoding([string] $Path) {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $bom = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
        if (-not $bom -and @($bytes | Where-Object { $_ -gt 0x7F }).Count -gt 0) {
            [pscustomobject]@{ Where = (Split-Path $Path -Leaf); Rule = 'text outside ASCII without a UTF-8 byte order mark'; Text = 'save it as UTF-8 with BOM, or use ASCII only' }
        }
    }

    function Format-Finding { process { "$($_.Where): $($_.Rule): $($_.Text)" } }
}

Describe 'Every example users copy runs in Windows PowerShell 5.1, or says it needs PowerShell 7 and shows the 5.1 form' {
    It 'finds examples in <Name>' -ForEach $documents {
        $found = @(Get-DocumentExample $Path)
        # A script gives itself and its .EXAMPLE; about_SobotPS indents its examples; the README has many.
        $least = switch -Wildcard ($Name) { '*.ps1' { 2 } 'about_SobotPS.md' { 4 } 'README.md' { 20 } default { 1 } }
        $found.Count | Should -BeGreaterOrEqual $least
    }

    It '<Name>' -ForEach $documents {
        @(Test-WindowsPowerShellDocument $Path | Format-Finding) | Should -BeNullOrEmpty
    }

    It 'the module''s manifest and format file read the same in 5.1: ASCII, or UTF-8 with a byte order mark' {
        foreach ($file in 'SobotPS.psd1', 'SobotPS.Format.ps1xml') { @(Test-ScriptEncoding (Join-Path $Root $file) | Format-Finding) | Should -BeNullOrEmpty }
    }
}

Describe 'The Windows PowerShell 5.1 check can fail' {
    It 'finds <Rule> in: <Text>' -ForEach @(
        @{ Text = '$a = $x ? 1 : 2'; Rule = 'ternary' }
        @{ Text = '$a = $x ?? 1'; Rule = '\?\?' }
        @{ Text = '$a ??= 1'; Rule = '\?\?=' }
        @{ Text = '${r}?.WebhookUrl'; Rule = '\?\.' }
        @{ Text = '${r}?.Reveal()'; Rule = '\?\.' }
        @{ Text = '${list}?[0]'; Rule = '\?\[\]' }
        @{ Text = 'Connect-Sobot && Get-SobotConnection'; Rule = 'pipeline chain' }
        @{ Text = 'Connect-Sobot || exit 3'; Rule = 'pipeline chain' }
        @{ Text = 'function f { process { 1 } clean { 2 } }'; Rule = 'clean' }
        @{ Text = 'Start-SobotReceiver &'; Rule = 'background' }
        @{ Text = '#Requires -Version 7.2'; Rule = 'requires PowerShell 7' }
        @{ Text = '$r.WebhookUrl | ConvertFrom-SecureString -AsPlainText'; Rule = 'ConvertFrom-SecureString -AsPlainText' }
        @{ Text = '1..10 | ForEach-Object -Parallel { $_ }'; Rule = 'ForEach-Object -Parallel' }
        @{ Text = '1..10 | % -Par { $_ }'; Rule = 'ForEach-Object -Parallel' }
        @{ Text = 'Get-Content -Raw x.json -Encoding UTF8 | ConvertFrom-Json -AsHashtable'; Rule = 'AsHashtable' }
        @{ Text = '@(1) | ConvertTo-Json -AsArray'; Rule = 'AsArray' }
        @{ Text = 'Invoke-RestMethod https://x -SkipCertificateCheck'; Rule = 'SkipCertificateCheck' }
        @{ Text = 'Remove-Item x -ProgressAction SilentlyContinue'; Rule = 'ProgressAction' }
        @{ Text = 'Get-Error'; Rule = 'command: Get-Error' }
        @{ Text = 'Test-Json -Json $j'; Rule = 'command: Test-Json' }
        @{ Text = 'Start-ThreadJob { 1 }'; Rule = 'command: Start-ThreadJob' }
        @{ Text = 'Install-PSResource SobotPS'; Rule = 'command: Install-PSResource' }
        @{ Text = "Connect-Sobot -Credential (Get-Credential -UserName 'a1b2')"; Rule = 'Get-Credential -UserName without -Message' }
        @{ Text = 'Join-Path $HOME a b'; Rule = 'more than one child path' }
        @{ Text = 'if ($IsWindows) { 1 }'; Rule = 'IsWindows' }
        @{ Text = 'Out-File x.txt -Encoding utf8NoBOM'; Rule = 'utf8NoBOM' }
        @{ Text = 'Get-SobotEvent | Export-Csv replies.csv -NoTypeInformation -Encoding utf8BOM'; Rule = 'utf8BOM' }
        @{ Text = 'Import-Csv excel.csv -Encoding ansi | Add-SobotCustomer'; Rule = 'encoding: -Encoding ansi' }
        @{ Text = 'Get-SobotEvent | Export-Csv events.csv -Encoding UTF8'; Rule = 'Export-Csv without -NoTypeInformation' }
        @{ Text = 'Get-SobotEvent | ConvertTo-Csv'; Rule = 'ConvertTo-Csv without -NoTypeInformation' }
        @{ Text = 'Get-SobotEvent | Export-Csv events.csv -NoTypeInformation'; Rule = 'Export-Csv of a data file without -Encoding' }
        @{ Text = 'Import-Csv customers.csv | Send-SobotTemplate -TemplateName t'; Rule = 'Import-Csv of a data file without -Encoding' }
        @{ Text = 'ipcsv customers.csv | Add-SobotCustomer'; Rule = 'Import-Csv of a data file without -Encoding' }
        @{ Text = '(Get-Content customers.csv) + "x,1" | Set-Content new.csv -Encoding UTF8'; Rule = 'Get-Content of a data file without -Encoding' }
        @{ Text = 'Get-Content ./payload.json | ConvertFrom-SobotWebhook'; Rule = 'Get-Content of a data file without -Encoding' }
        @{ Text = '"a,b" | Out-File rows.csv'; Rule = 'Out-File of a data file without -Encoding' }
        @{ Text = 'Get-SobotEvent > events.json'; Rule = 'redirection to a data file' }
        @{ Text = "# PowerShell 7:`n`$r.WebhookUrl | ConvertFrom-SecureString -AsPlainText"; Rule = 'without the 5.1 form' }
        @{ Text = "# PowerShell 7:`n1 | ForEach-Object -Parallel { 1 }`n# Windows PowerShell 5.1:`n1 | ForEach-Object -Parallel { 1 }"; Rule = 'ForEach-Object -Parallel' }
        @{ Text = 'Send-SobotTextMessage -Message ('; Rule = 'does not parse' }
    ) {
        $findings = @(Test-WindowsPowerShellExample (New-Example 'bad.md' 1 $Text) | Format-Finding)
        $findings | Should -Not -BeNullOrEmpty
        ($findings -join "`n") | Should -Match $Rule
    }

    It 'lets through what runs in 5.1: <Text>' -ForEach @(
        @{ Text = 'Import-Csv customers.csv -Encoding UTF8 | Send-SobotTemplate -TemplateName t | Export-Csv sent.csv -NoTypeInformation -Encoding UTF8' }
        @{ Text = "# PowerShell 7:`n`$r.WebhookUrl | ConvertFrom-SecureString -AsPlainText`n# Windows PowerShell 5.1:`n[System.Net.NetworkCredential]::new('', `$r.WebhookUrl).Password" }
        @{ Text = 'ConvertTo-SecureString demo-secret-key -AsPlainText -Force' }
        @{ Text = "if (`$PSVersionTable.PSEdition -eq 'Core' -and -not `$IsWindows) { 'unix' }" }
        @{ Text = 'Join-Path (Join-Path $HOME a) b' }
        @{ Text = "'Is it ready ? yes : no' | Out-Host" }
        @{ Text = 'Get-Content -LiteralPath ./sobot.env -Encoding UTF8' }
        @{ Text = 'Get-Content ./notes.txt' }
        @{ Text = 'Get-SobotJournal ./campaign.journal -Summary' }
        @{ Text = "Install-Module Microsoft.PowerShell.PSResourceGet -Scope CurrentUser`nInstall-PSResource SobotPS" }
        @{ Text = "# PowerShell 7:`nGet-SobotEvent | Export-Csv replies.csv -NoTypeInformation -Encoding utf8BOM`n# Windows PowerShell 5.1:`nGet-SobotEvent | Export-Csv replies.csv -NoTypeInformation -Encoding UTF8" }
        @{ Text = "# PowerShell 7:`nImport-Csv excel.csv -Encoding ansi | Add-SobotCustomer`n# Windows PowerShell 5.1:`nImport-Csv excel.csv -Encoding Default | Add-SobotCustomer" }
    ) {
        @(Test-WindowsPowerShellExample (New-Example 'good.md' 1 $Text) | Format-Finding) | Should -BeNullOrEmpty
    }

    It 'finds a script with an em dash saved without a byte order mark, and lets it through with one' {
        $script = Join-Path $TestDrive 'Dash.ps1'
        [System.IO.File]::WriteAllText($script, "'Disk full ' + [char]0x2014 + ' web01'`n'done ' + '" + [char]0x2014 + "'`n", [System.Text.UTF8Encoding]::new($false))
        (@(Test-WindowsPowerShellDocument $script | Format-Finding) -join "`n") | Should -Match 'Dash\.ps1: text outside ASCII without a UTF-8 byte order mark'
        [System.IO.File]::WriteAllText($script, [System.IO.File]::ReadAllText($script), [System.Text.UTF8Encoding]::new($true))
        @(Test-WindowsPowerShellDocument $script | Format-Finding) | Should -BeNullOrEmpty
    }

    It 'finds PowerShell 7 syntax in an example indented inside a list item: a README fence and an about_ block' {
        $md = Join-Path $TestDrive 'README.md'
        Set-Content $md -Encoding UTF8 -Value @('# Thing', '', '- **Task Scheduler**: register it:', '', '  ```powershell', "  `$exe = 'powershell.exe'", '  $x = $null ?? 1', '  ```', '', '  ```', '  $y = $z ?? 2', '  ```')
        $examples = @(Get-DocumentExample $md)
        $examples.Count | Should -Be 1
        $examples[0].Text | Should -BeExactly "`$exe = 'powershell.exe'`n`$x = `$null ?? 1"
        (@(Test-WindowsPowerShellDocument $md | Format-Finding) -join "`n") | Should -Match '^README\.md:7: PowerShell 7 syntax: \?\?'
        $about = Join-Path $TestDrive 'about_Listed.md'
        Set-Content $about -Encoding UTF8 -Value @('# about_Listed', '', '- A SecureString back as text reads', '  in both editions with', '', '      $s | ConvertFrom-SecureString -AsPlainText |', '        Out-Host', '', '- More prose.', '')
        $examples = @(Get-DocumentExample $about)
        $examples.Count | Should -Be 1
        $examples[0].Text | Should -BeExactly "`$s | ConvertFrom-SecureString -AsPlainText |`n  Out-Host"
        (@(Test-WindowsPowerShellDocument $about | Format-Finding) -join "`n") | Should -Match '^about_Listed\.md:6: PowerShell 7\.0 parameter: ConvertFrom-SecureString -AsPlainText'
    }

    It 'finds the examples in a help page, an about_ topic and a script, and schedules that name pwsh.exe alone' {
        $md = Join-Path $TestDrive 'Send-Thing.md'
        Set-Content $md -Encoding UTF8 -Value @('# Send-Thing', '', '```powershell', 'Send-Thing', '$x = $y ?? 1', '```', '', '```yaml', 'Type: String', '```')
        @(Get-DocumentExample $md).Count | Should -Be 1
        (@(Test-WindowsPowerShellDocument $md | Format-Finding) -join "`n") | Should -Match '^Send-Thing\.md:5: PowerShell 7 syntax: \?\?'
        $about = Join-Path $TestDrive 'about_Thing.md'
        Set-Content $about -Encoding UTF8 -Value @('# about_Thing', '', 'Text.', '', '    Import-Csv a.csv | Send-Thing', '', '    */5 * * * * pwsh -File x.ps1', '')
        (@(Test-WindowsPowerShellDocument $about | Format-Finding) -join "`n") | Should -Match '^about_Thing\.md:5: Import-Csv'
        $script = Join-Path $TestDrive 'Schedule-Thing.ps1'
        Set-Content $script -Encoding UTF8 -Value @('<#', '.SYNOPSIS', '    x', '.DESCRIPTION', '    Scheduled:', "        `$action = New-ScheduledTaskAction -Execute 'pwsh.exe' -Argument '-File x.ps1'", '.EXAMPLE', '    ./Schedule-Thing.ps1 | Export-Csv out.csv', '#>', 'param()', "'done'")
        $found = @(Test-WindowsPowerShellDocument $script | Format-Finding) -join "`n"
        $found | Should -Match 'Schedule-Thing\.ps1: schedules pwsh\.exe only'
        $found | Should -Match 'Schedule-Thing\.ps1 \(\.EXAMPLE\):1: Export-Csv without -NoTypeInformation'
    }
}
