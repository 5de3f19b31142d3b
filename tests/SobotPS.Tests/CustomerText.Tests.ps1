# What customers write stays data: on the console (format views, progress lines) and in the CSV files people open
# in a spreadsheet. Hostile text goes in where a customer (or anyone with the webhook URL) can put it, and comes out
# through the views, the progress stream and Export-Csv.
BeforeDiscovery {
    # Every type the format file has a view for: a new view is covered as soon as it exists.
    $formatFile = Join-Path $PSScriptRoot '../../out/SobotPS/SobotPS.Format.ps1xml'
    $viewed = if (Test-Path $formatFile) { ([xml](Get-Content -Raw $formatFile)).SelectNodes('//ViewSelectedBy/TypeName').'#text' | Sort-Object -Unique } else { @() }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $PSStyle.OutputRendering = 'PlainText'   # only what the views write, not the host's colours

    $E, $BEL, $CR = [char]27, [char]7, [char]13
    # ESC]0;…BEL sets the window title, ESC[2J clears the screen, CR returns over the line, CSI (U+009B) is ESC[ in
    # one byte, U+202E turns what follows around.
    $script:Hostile = "Asha${E}]0;pwned${BEL}${E}[2J${CR}Mallory$([char]0x9B)31m$([char]0x202E)exe.txt"

    # The characters a terminal acts on, apart from the output's own line breaks.
    function Get-ControlCharacter([string] $Text) {
        @(($Text -replace "`r`n", "`n").ToCharArray() | Where-Object {
                $c = [int]$_
                ($c -lt 32 -and $c -ne 10) -or ($c -ge 0x7F -and $c -le 0x9F) -or ($c -ge 0x202A -and $c -le 0x202E) -or ($c -ge 0x2066 -and $c -le 0x2069)
            } | ForEach-Object { 'U+{0:X4}' -f [int]$_ })
    }

    # The default table, the default list and plain Out-String of an object, as one text.
    function Format-Everything($InputObject) {
        ($InputObject | Format-Table | Out-String -Width 1000) + ($InputObject | Format-List | Out-String -Width 1000) + ($InputObject | Out-String -Width 1000)
    }

    # An object of a viewed type built without its constructor, with every text field (string arrays and lists of our
    # own objects too, two levels deep) holding $Hostile: whatever column a view shows, it shows hostile text.
    function New-HostileObject([type] $Type, [int] $Depth = 0) {
        $o = [System.Runtime.CompilerServices.RuntimeHelpers]::GetUninitializedObject($Type)
        $ours = { param($t) $t.IsClass -and -not $t.IsAbstract -and $t.Assembly.GetName().Name -in 'SobotPS', 'Sobot.Client' }
        for ($t = $Type; $t -and $t -ne [object]; $t = $t.BaseType) {
            foreach ($f in $t.GetFields([System.Reflection.BindingFlags]'Instance, Public, NonPublic, DeclaredOnly')) {
                $ft = $f.FieldType
                $item = if ($ft.IsArray) { $ft.GetElementType() } elseif ($ft.IsGenericType -and $ft.GetGenericArguments().Count -eq 1) { $ft.GetGenericArguments()[0] }
                if ($ft -eq [string]) { $f.SetValue($o, $Hostile) }
                elseif ($ft -eq [string[]]) { $f.SetValue($o, [string[]]@($Hostile, $Hostile)) }
                elseif ($Depth -lt 2 -and $item -and (& $ours $item) -and $ft.IsAssignableFrom($item.MakeArrayType())) {
                    $list = [Array]::CreateInstance($item, 1)
                    $list.SetValue((New-HostileObject $item ($Depth + 1)), 0)
                    $f.SetValue($o, $list)
                }
                elseif ($Depth -lt 2 -and (& $ours $ft)) { $f.SetValue($o, (New-HostileObject $ft ($Depth + 1))) }
            }
        }
        $o
    }

    function New-InboundWebhook([string] $From, [string] $Name, [string] $Text) {
        ConvertTo-Json -Depth 10 -Compress @(@{ field = 'messages'; value = @{ messaging_product = 'whatsapp'; metadata = @{ display_phone_number = '918788000000' }
                    contacts = @(@{ profile = @{ name = $Name }; wa_id = $From })
                    messages = @(@{ from = $From; id = "wamid.in$([guid]::NewGuid().ToString('N'))"; timestamp = "$([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())"; type = 'text'; text = @{ body = $Text } }) } })
    }

    function New-FailedStatusWebhook([string] $MessageId, [string] $Number, [string] $Reason) {
        ConvertTo-Json -Depth 10 -Compress @(@{ field = 'messages'; value = @{ messaging_product = 'whatsapp'; metadata = @{ display_phone_number = '918788000000' }
                    statuses = @(@{ id = $MessageId; status = 'failed'; timestamp = "$([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())"; recipient_id = $Number; errors = @(@{ title = $Reason }) }) } })
    }
}

Describe 'Customer text on the console' {
    It 'is shown with its control characters escaped in the views of <_>, whatever column shows it' -ForEach $viewed {
        $name = $_
        $type = [type]($name -replace '#.*$')
        $object = New-HostileObject $type
        if ($name -ne $type.FullName) { $object = [psobject]::AsPSObject($object); $object.PSObject.TypeNames.Insert(0, $name) }
        $shown = Format-Everything $object
        Get-ControlCharacter $shown | Should -BeNullOrEmpty -Because "the views of $name must not pass control characters to the terminal"
        ($object | Format-List | Out-String -Width 1000) | Should -BeLike '*Asha\x1B]0;pwned\x07\x1B`[2J\x0DMallory\x9B31m\u202Eexe.txt*'
    }

    It 'keeps the original text on the objects, a customer message''s name and text included' {
        $m = ConvertFrom-SobotWebhook (New-InboundWebhook -From 919970585556 -Name $Hostile -Text "line one`n$Hostile")
        $shown = Format-Everything $m
        Get-ControlCharacter $shown | Should -BeNullOrEmpty
        $shown | Should -BeLike '*Asha\x1B]0;pwned\x07*'
        $m.Name | Should -BeExactly $Hostile
        $m.Text | Should -BeExactly "line one`n$Hostile"
        # A list keeps a message's line breaks as line breaks.
        ($m | Format-List | Out-String -Width 1000) | Should -Match "Text\s+: line one\r?\n\s+Asha\\x1B"
    }

    It 'escapes a name a send was given, in its result' {
        $emulator = Start-TestEmulator -ArgumentList '--no-window'
        try {
            Connect-TestEmulator $emulator
            $r = Send-SobotTextMessage -CustomerNumber 919970585556 -CustomerName $Hostile -Message 'Your ticket is closed.'
            Get-ControlCharacter (Format-Everything $r) | Should -BeNullOrEmpty
            $r.CustomerName | Should -BeExactly $Hostile
            (Get-EmulatorMessage $emulator).body.customer_name | Should -BeExactly $Hostile
        }
        finally {
            Disconnect-Sobot
            $emulator | Stop-SobotEmulator
        }
    }

    It 'shows what a receiver answers escaped in the progress of a wait' {
        $fake = Start-FakeReceiver -Status 502 -Message "${E}]0;pwned${BEL}${E}[2J${CR}down"
        $emulator = Start-TestEmulator -ArgumentList '--no-window'
        $ps = [powershell]::Create()
        try {
            $connection = Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri `
                -ReceiverUri $fake.Uri -ReceiverKey (ConvertTo-TestSecret 'fake-receiver-key-0123456789') -PassThru -WarningAction SilentlyContinue
            $null = $ps.AddScript({
                    param($Manifest, $Connection)
                    Import-Module $Manifest
                    $ProgressPreference = 'Continue'
                    # 10 s: progress comes once a second, so a machine that holds this up for seconds still shows some.
                    $null = Wait-SobotReply -Connection $Connection -CustomerNumber 919970585556 -TimeoutSec 10 -ErrorAction SilentlyContinue
                }).AddArgument($ModuleManifest).AddArgument($connection)
            $null = $ps.Invoke()
            $lines = @($ps.Streams.Progress | ForEach-Object { $_.Activity; $_.StatusDescription; $_.CurrentOperation })
            $lines | Should -Not -BeNullOrEmpty
            Get-ControlCharacter ($lines -join ' ') | Should -BeNullOrEmpty
            ($lines -join "`n") | Should -BeLike '*\x1B]0;pwned\x07\x1B`[2J\x0Ddown*'
        }
        finally {
            $ps.Dispose()
            Disconnect-Sobot
            $emulator | Stop-SobotEmulator
            Stop-FakeReceiver $fake
        }
    }
}

Describe 'Customer text in a spreadsheet' {
    BeforeAll {
        $receiver = Start-SobotReceiver -Path (Join-Path $TestDrive 'events.db')
        $webhook = $receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText
        $emulator = Start-SobotEmulator -Knob @{ WebhookUrl = $webhook; NoWindow = $true }
        Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $receiver
        $formulas = '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3'

        # Exports with Export-Csv and reads the file back, as a spreadsheet would get it.
        function Invoke-RoundTrip($InputObject, [string] $Name) {
            $path = Join-Path $TestDrive "$Name.csv"
            $InputObject | Export-Csv $path
            Import-Csv $path
        }
    }
    AfterAll {
        Disconnect-Sobot
        $emulator | Stop-SobotEmulator
        $receiver | Stop-SobotReceiver
    }

    It 'makes formulas in names and in the input row inert, and leaves numbers and the objects'' type alone' {
        $rows = for ($i = 0; $i -lt $formulas.Count; $i++) { [pscustomobject]@{ Phone = "91997059100$i"; Name = $formulas[$i]; Note = $formulas[$i]; Amount = -5 } }
        $sent = @($rows | Send-SobotTextMessage -Message 'Your order shipped.' -SkipWindowCheck -SafeForSpreadsheet)
        $sent.Count | Should -Be 4
        $sent | ForEach-Object { $_ | Should -BeOfType [SobotPS.SobotMessageResult] }
        $sent[0].SubmittedAt | Should -BeOfType [DateTimeOffset]
        $back = Invoke-RoundTrip $sent 'sent'
        ($back | Sort-Object Phone).CustomerName | Should -Be ($formulas | ForEach-Object { "'$_" })
        ($back | Sort-Object Phone).Note | Should -Be ($formulas | ForEach-Object { "'$_" })
        $back.Amount | Should -Be @('-5', '-5', '-5', '-5')       # a number stays a number
        $back[0].PSObject.Properties.Name | Should -Be @($sent[0].PSObject.Properties.Name)
        # Without the switch the file holds the formulas as they came: what the switch is for.
        (Invoke-RoundTrip ($rows[0] | Send-SobotTextMessage -Message 'Again.' -SkipWindowCheck) 'plain').CustomerName | Should -BeExactly $formulas[0]
    }

    It 'makes formulas in a reply inert, from Wait-SobotReply and Get-SobotEvent' {
        $q = Send-SobotTextMessage -CustomerNumber 919970591010 -Message 'Shall we call you back?' -SkipWindowCheck
        $null = $q | Send-SobotEmulatorReply $emulator -Text $formulas[1] -Name $formulas[0]
        $reply = $q | Wait-SobotReply -TimeoutSec 30 -SafeForSpreadsheet
        $reply | Should -BeOfType [Sobot.Client.Webhooks.SobotInboundMessage]
        $back = Invoke-RoundTrip $reply 'reply'
        $back.Text | Should -BeExactly "'$($formulas[1])"
        $back.Name | Should -BeExactly "'$($formulas[0])"
        $back.QuestionMessageId | Should -Be $q.MessageId
        $events = Invoke-RoundTrip (Get-SobotEvent -Type Inbound -CustomerNumber 919970591010 -SafeForSpreadsheet) 'events'
        $events.Text | Should -Be "'$($formulas[1])"
    }

    It 'makes formulas in a failure reason inert, from Get-SobotMessageStatus and Get-SobotJournal' {
        $journal = Join-Path $TestDrive 'failing.journal'
        # The emulator's own statuses (sent, delivered, read) stay out of it: statuses only move forward.
        $null = Set-SobotEmulatorKnob $emulator @{ webhook_url = '' }
        try { $m = Send-SobotTextMessage -CustomerNumber 919970591020 -Message 'Your order shipped.' -SkipWindowCheck -JournalPath $journal }
        finally { $null = Set-SobotEmulatorKnob $emulator @{ webhook_url = $webhook } }
        # Anyone with the webhook URL can post a status: the reason is theirs to choose.
        $null = Invoke-RestMethod -Method Post -Uri $webhook -ContentType 'application/json' -Body (New-FailedStatusWebhook $m.MessageId 919970591020 $formulas[3])
        Wait-Until { (Get-SobotMessageStatus -MessageId $m.MessageId -ErrorAction SilentlyContinue).Status -eq 'failed' }
        $status = Invoke-RoundTrip (Get-SobotMessageStatus -MessageId $m.MessageId -SafeForSpreadsheet) 'status'
        $status.ErrorTitle | Should -BeExactly "'$($formulas[3])"
        $rows = Invoke-RoundTrip (Get-SobotJournal $journal -SafeForSpreadsheet) 'journal'
        $rows.FailureReason | Should -BeExactly "'$($formulas[3])"
        (Get-SobotJournal $journal).FailureReason | Should -BeExactly $formulas[3]
    }

    It 'shows a failure reason posted with terminal escapes escaped in the error, and keeps it whole in the exception' {
        $null = Set-SobotEmulatorKnob $emulator @{ webhook_url = '' }
        try { $m = Send-SobotTextMessage -CustomerNumber 919970591040 -Message 'Your order shipped.' -SkipWindowCheck }
        finally { $null = Set-SobotEmulatorKnob $emulator @{ webhook_url = $webhook } }
        $null = Invoke-RestMethod -Method Post -Uri $webhook -ContentType 'application/json' -Body (New-FailedStatusWebhook $m.MessageId 919970591040 $Hostile)
        $m | Wait-SobotDelivery -TimeoutSec 30 -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Match '^SobotDeliveryFailed'
        $failed[0].Exception.Message.Contains($Hostile) | Should -BeTrue
        Get-ControlCharacter $failed[0].ErrorDetails.Message | Should -BeNullOrEmpty
        Get-ControlCharacter ($failed[0] | Out-String -Width 1000) | Should -BeNullOrEmpty
        $failed[0].ErrorDetails.Message | Should -BeLike '*Asha\x1B]0;pwned\x07*'
    }

    It 'makes formulas in a customer list inert, and in the rows Import-Customers.ps1 could not import' {
        $bad = Join-Path $TestDrive 'bad-customers.csv'
        @([pscustomobject]@{ Name = $formulas[2]; Mobile = '12' }) | Export-Csv $bad
        $failedPath = Join-Path $TestDrive 'failed-customers.csv'
        $run = Start-ScheduledExample 'Import-Customers.ps1' @('-CsvPath', $bad, '-FailedPath', $failedPath) -Emulator $emulator
        (Complete-ScheduledExample $run).ExitCode | Should -Be 1
        (Import-Csv $failedPath).Name | Should -BeExactly "'$($formulas[2])"
        $null = Add-SobotCustomer -CustomerNumber 919970591030 -Name $formulas[0]
        $customers = Invoke-RoundTrip (Get-SobotCustomer -CustomerNumber 919970591030 -SafeForSpreadsheet) 'customers'
        $customers.Name | Should -BeExactly "'$($formulas[0])"
    }
}
