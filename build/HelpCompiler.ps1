<#
.SYNOPSIS
    Compiles docs/en-US/*.md into MAML help (SobotPS.dll-Help.xml) and about_*.help.txt, and fails when a
    page and the module disagree: a cmdlet without a page, a parameter without an entry, an entry for a
    parameter the cmdlet does not have, a type, alias, requirement or pipeline binding that is not what the
    cmdlet declares, or a page without synopsis, description, two examples (one a pipeline), inputs, outputs
    or related links. Runs in its own pwsh because it imports the built module.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Off   # member enumeration over empty attribute lists is intended here
$module = Import-Module $ModuleManifest -PassThru -Force
$problems = [System.Collections.Generic.List[string]]::new()
$commonNames = @([System.Management.Automation.Internal.CommonParameters].GetProperties().Name)

function Read-Page([string] $Path) {
    $sections = [ordered]@{}
    $current = $null
    foreach ($line in [IO.File]::ReadAllLines($Path)) {
        if ($line -match '^## (.+)$') { $current = $Matches[1].Trim(); $sections[$current] = [System.Collections.Generic.List[string]]::new(); continue }
        if ($current) { $sections[$current].Add($line) }
    }
    $sections
}

# Splits a section into "### heading" blocks: @{ Title; Lines }.
function Split-Blocks($Lines) {
    $blocks = [System.Collections.Generic.List[object]]::new()
    $block = $null
    foreach ($line in $Lines) {
        if ($line -match '^### (.+)$') { $block = @{ Title = $Matches[1].Trim(); Lines = [System.Collections.Generic.List[string]]::new() }; $blocks.Add($block); continue }
        if ($block) { $block.Lines.Add($line) }
    }
    $blocks
}

function Paragraphs($Lines) {
    $text = ($Lines -join "`n").Trim()
    if (-not $text) { return @() }
    @($text -split "`n\s*`n" | ForEach-Object { ($_ -replace "`n", ' ').Trim() } | Where-Object { $_ })
}

# Text outside and inside the first ``` fence of a block.
function Split-Fence($Lines) {
    $before = [System.Collections.Generic.List[string]]::new(); $code = [System.Collections.Generic.List[string]]::new(); $after = [System.Collections.Generic.List[string]]::new()
    $state = 0
    foreach ($line in $Lines) {
        if ($line -match '^```') { $state++; continue }
        switch ($state) { 0 { $before.Add($line) } 1 { $code.Add($line) } default { $after.Add($line) } }
    }
    @{ Before = $before; Code = $code; After = $after }
}

function Get-YamlValue($Code, [string] $Key) {
    foreach ($l in $Code) { if ($l -match "^$([regex]::Escape($Key)):\s*(.*)$") { return $Matches[1].Trim() } }
    $null
}

$xml = [System.Text.StringBuilder]::new()
$w = [System.Xml.XmlWriter]::Create($xml, [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) })
$maml = 'http://schemas.microsoft.com/maml/2004/10'
$cmdNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')

function Para([string] $Text) { $w.WriteStartElement('maml', 'para', $maml); $w.WriteString($Text); $w.WriteEndElement() }
function Description($Paragraphs) { $w.WriteStartElement('maml', 'description', $maml); foreach ($p in $Paragraphs) { Para $p }; $w.WriteEndElement() }

function Write-Parameter($Meta, [string] $Description, [string] $Default, [string] $SetName) {
    $attr = @($Meta.Attributes | Where-Object { $_ -is [Parameter] -and ($null -eq $SetName -or $_.ParameterSetName -in @($SetName, '__AllParameterSets')) })
    $required = @($attr.Mandatory) -contains $true
    $positioned = @($attr | Where-Object { $_.Position -ge 0 })
    $position = if ($positioned) { $positioned[0].Position } else { $null }
    $pipe = @(); if (@($attr.ValueFromPipeline) -contains $true) { $pipe += 'ByValue' }; if (@($attr.ValueFromPipelineByPropertyName) -contains $true) { $pipe += 'ByPropertyName' }
    $w.WriteStartElement('command', 'parameter', $cmdNs)
    $w.WriteAttributeString('required', "$required".ToLower())
    $w.WriteAttributeString('variableLength', "$($Meta.ParameterType.IsArray)".ToLower())
    $w.WriteAttributeString('globbing', "$(@($Meta.Attributes | Where-Object { $_ -is [SupportsWildcards] }).Count -gt 0)".ToLower())
    $w.WriteAttributeString('pipelineInput', $(if ($pipe) { "True ($($pipe -join ', '))" } else { 'False' }))
    $w.WriteAttributeString('position', $(if ($null -ne $position) { "$position" } else { 'named' }))
    $w.WriteAttributeString('aliases', $(if ($Meta.Aliases.Count) { $Meta.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $maml, $Meta.Name)
    Description @($Description)
    if (-not $Meta.SwitchParameter) {
        $w.WriteStartElement('command', 'parameterValue', $cmdNs); $w.WriteAttributeString('required', 'true'); $w.WriteAttributeString('variableLength', 'false'); $w.WriteString($Meta.ParameterType.Name); $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $Meta.ParameterType.FullName); $w.WriteElementString('maml', 'uri', $maml, ''); $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $dev, $Default)
    $w.WriteEndElement()
}

function Write-Types([string] $Outer, [string] $Inner, $Blocks) {
    $w.WriteStartElement('command', $Outer, $cmdNs)
    foreach ($b in $Blocks) {
        $w.WriteStartElement('command', $Inner, $cmdNs)
        $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $b.Title); $w.WriteEndElement()
        Description (Paragraphs $b.Lines)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
}

$commands = Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name
$pages = Get-ChildItem $DocsPath -Filter '*.md' | Where-Object Name -notlike 'about_*'
foreach ($page in $pages) {
    if ($page.BaseName -notin $commands.Name) { $problems.Add("$($page.Name): no cmdlet $($page.BaseName) in the module.") }
}

foreach ($command in $commands) {
    $path = Join-Path $DocsPath "$($command.Name).md"
    if (-not (Test-Path $path)) { $problems.Add("$($command.Name): no help page at $path."); continue }
    $s = Read-Page $path
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'RELATED LINKS') {
        if (-not $s.Contains($required) -or -not (($s[$required] -join '').Trim())) { $problems.Add("$($command.Name): section '## $required' is missing or empty.") }
    }
    if (-not $s.Contains('PARAMETERS') -or -not $s.Contains('EXAMPLES')) { continue }
    $examples = @(Split-Blocks $s['EXAMPLES'])
    if ($examples.Count -lt 2) { $problems.Add("$($command.Name): $($examples.Count) example(s); at least two are needed.") }
    if (-not ($examples | Where-Object { (Split-Fence $_.Lines).Code -join "`n" -match '\|' })) { $problems.Add("$($command.Name): no example shows a pipeline.") }

    $documented = @{}
    foreach ($b in Split-Blocks $s['PARAMETERS']) { $documented[$b.Title.TrimStart('-')] = $b }
    $parameters = @($command.Parameters.Values | Where-Object {
            $_.Name -notin $commonNames -and -not ($_.Attributes | Where-Object { $_ -is [Parameter] -and $_.DontShow }) })
    foreach ($p in $parameters) {
        $b = $documented[$p.Name]
        if (-not $b) { $problems.Add("$($command.Name): parameter -$($p.Name) has no entry."); continue }
        $f = Split-Fence $b.Lines
        if (-not (Paragraphs $f.Before)) { $problems.Add("$($command.Name): -$($p.Name) has no description.") }
        $attr = @($p.Attributes | Where-Object { $_ -is [Parameter] })
        $expect = @{
            'Type'     = $p.ParameterType.Name
            'Aliases'  = $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'None' })
            'Required' = "$(@($attr.Mandatory) -contains $true)"
        }
        $pipe = @(); if (@($attr.ValueFromPipeline) -contains $true) { $pipe += 'ByValue' }; if (@($attr.ValueFromPipelineByPropertyName) -contains $true) { $pipe += 'ByPropertyName' }
        $expect['Accept pipeline input'] = $(if ($pipe) { "True ($($pipe -join ', '))" } else { 'False' })
        foreach ($k in $expect.Keys) {
            $v = Get-YamlValue $f.Code $k
            if ($v -ne $expect[$k]) { $problems.Add("$($command.Name): -$($p.Name) says '$k`: $v' but the cmdlet declares '$($expect[$k])'.") }
        }
        if (-not (Get-YamlValue $f.Code 'Default value')) { $problems.Add("$($command.Name): -$($p.Name) gives no default value.") }
    }
    foreach ($name in $documented.Keys) {
        if ($name -notin $parameters.Name) { $problems.Add("$($command.Name): the page documents -$name, which the cmdlet does not have.") }
    }

    # MAML
    $w.WriteStartElement('command', 'command', $cmdNs)
    $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $w.WriteStartElement('command', 'details', $cmdNs)
    $w.WriteElementString('command', 'name', $cmdNs, $command.Name)
    $w.WriteElementString('command', 'verb', $cmdNs, $command.Verb)
    $w.WriteElementString('command', 'noun', $cmdNs, $command.Noun)
    Description (Paragraphs $s['SYNOPSIS'])
    $w.WriteEndElement()
    Description (Paragraphs $s['DESCRIPTION'])

    function DescriptionOf($p) { if ($documented[$p.Name]) { (Paragraphs (Split-Fence $documented[$p.Name].Lines).Before) -join ' ' } else { '' } }
    function DefaultOf($p) { if ($documented[$p.Name]) { Get-YamlValue (Split-Fence $documented[$p.Name].Lines).Code 'Default value' } else { 'None' } }
    $w.WriteStartElement('command', 'syntax', $cmdNs)
    foreach ($set in $command.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $cmdNs)
        $w.WriteElementString('maml', 'name', $maml, $command.Name)
        foreach ($sp in $set.Parameters | Where-Object { $_.Name -in $parameters.Name }) {
            $p = $command.Parameters[$sp.Name]
            Write-Parameter $p (DescriptionOf $p) (DefaultOf $p) $set.Name
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteStartElement('command', 'parameters', $cmdNs)
    foreach ($p in $parameters) { Write-Parameter $p (DescriptionOf $p) (DefaultOf $p) $null }
    $w.WriteEndElement()
    Write-Types 'inputTypes' 'inputType' (Split-Blocks $s['INPUTS'])
    Write-Types 'returnValues' 'returnValue' (Split-Blocks $s['OUTPUTS'])
    $w.WriteStartElement('command', 'examples', $cmdNs)
    foreach ($e in $examples) {
        $f = Split-Fence $e.Lines
        $w.WriteStartElement('command', 'example', $cmdNs)
        $w.WriteElementString('maml', 'title', $maml, "-------------------------- $($e.Title) --------------------------")
        $w.WriteElementString('dev', 'code', $dev, ($f.Code -join "`n"))
        $w.WriteStartElement('dev', 'remarks', $dev)
        foreach ($p in Paragraphs ($f.Before + $f.After)) { Para $p }
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteStartElement('command', 'relatedLinks', $cmdNs)
    foreach ($line in $s['RELATED LINKS']) {
        if ($line -match '^\[(.+?)\]\((.*?)\)') {
            $w.WriteStartElement('maml', 'navigationLink', $maml)
            $w.WriteElementString('maml', 'linkText', $maml, $Matches[1])
            $w.WriteElementString('maml', 'uri', $maml, $(if ($Matches[2] -match '^https?://') { $Matches[2] } else { '' }))
            $w.WriteEndElement()
        }
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Dispose()

if ($problems.Count) {
    $problems | ForEach-Object { Write-Host "help: $_" -ForegroundColor Red }
    throw "The help pages and the module disagree in $($problems.Count) place(s)."
}

$null = New-Item -ItemType Directory -Force $OutPath
[IO.File]::WriteAllText((Join-Path $OutPath "$($module.Name).dll-Help.xml"), $xml.ToString().Replace('encoding="utf-16"', 'encoding="utf-8"'), [Text.UTF8Encoding]::new($false))

# about_ topics: markdown headings become the plain-text layout Get-Help shows.
foreach ($about in Get-ChildItem $DocsPath -Filter 'about_*.md') {
    $text = foreach ($line in [IO.File]::ReadAllLines($about.FullName)) {
        if ($line -match '^# (.+)$') { "TOPIC`n    $($Matches[1])`n" }
        elseif ($line -match '^## (.+)$') { $Matches[1].ToUpperInvariant() }
        elseif ($line -match '^### (.+)$') { "  $($Matches[1].ToUpperInvariant())" }
        elseif ($line) { "    $line" }
        else { '' }
    }
    [IO.File]::WriteAllLines((Join-Path $OutPath "$($about.BaseName).help.txt"), [string[]]$text)
}
Write-Host "Help: $($commands.Count) cmdlets compiled to $OutPath"
