# Another user of the same machine against what the module and the receiver keep on disk: the store and its side
# files, the receiver's log, its token and key, the opt-out list, journals and reports. Private by default, and nothing
# another user planted (a token file, a journal, a symbolic link) is trusted. No file modes on Windows.
BeforeDiscovery { $script:NoModes = $IsWindows }

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:user = New-SecondUser
    $script:started = [System.Collections.Generic.List[object]]::new()

    function Get-Mode([string] $Path) { (Get-Item -LiteralPath $Path -Force).UnixMode }
    function Skip-WithoutSecondUser { if (-not $user.Name) { Set-ItResult -Skipped -Because $user.Reason; $true } else { $false } }
    function New-Folder([string] $Name, [string] $Mode = '755') {
        $folder = (New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name) -Force).FullName
        & chmod $Mode $folder
        $folder
    }
    function New-Victim {
        $victim = Join-Path (New-Folder 'victim-home') ('.bashrc-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        Set-Content -LiteralPath $victim -Value '# the victim''s own lines' -NoNewline
        & chmod 644 $victim
        $victim
    }
    function Assert-Victim([string] $Victim) {
        Get-Content -Raw -LiteralPath $Victim | Should -Be '# the victim''s own lines'
        Get-Mode $Victim | Should -Be '-rw-r--r--'
    }
    function Assert-UnsafePath($ErrorRecord, [string] $Path, [string] $Fix) {
        $ErrorRecord.FullyQualifiedErrorId | Should -BeLike 'SobotUnsafePath,*'
        $ErrorRecord.CategoryInfo.Category | Should -Be 'SecurityError'
        $ErrorRecord.TargetObject | Should -Be $Path
        if ($Fix) {
            $ErrorRecord.Exception.Message | Should -BeLike "*$Fix*"
            $ErrorRecord.ErrorDetails.RecommendedAction | Should -Be $Fix
        }
    }

    if (-not $IsWindows) {
        # The module's folder as an older version left it (0755), with that version's log readable by everyone.
        $script:dataFolder = Join-Path $env:XDG_DATA_HOME 'SobotPS'
        $null = New-Item -ItemType Directory -Path $dataFolder -Force
        & chmod 755 $dataFolder
        $script:store = Join-Path $dataFolder 'receiver-events.db'
        Set-Content -LiteralPath "$store.log" -Value "an older version's line" 
        & chmod 644 "$store.log"

        $script:receiver = Start-SobotReceiver -WarningVariable startWarnings -WarningAction SilentlyContinue
        $script:startWarnings = $startWarnings
        $started.Add($receiver)
        $webhook = $receiver.WebhookUrl | ConvertFrom-SecureString -AsPlainText
        $script:emulator = Start-TestEmulator -ArgumentList '--no-window', '--webhook-url', $webhook
        Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $receiver
        $script:work = New-Folder 'work'
        $script:journal = Join-Path $work 'campaign.jsonl'
        $script:rows = '919970585556', '919970585557', '919970585558' | ForEach-Object { [pscustomobject]@{ Mobile = $_ } }
        $null = $rows | Send-SobotTemplate -TemplateName hello_world -JournalPath $journal
        $script:report = Join-Path $work 'report.html'
        $null = Get-SobotCampaignReport -JournalPath $journal -Path $report
    }
}

AfterAll {
    if (-not $IsWindows) {
        Disconnect-Sobot
        $emulator | Stop-SobotEmulator
        foreach ($r in $started) { $r | Stop-SobotReceiver -ErrorAction SilentlyContinue }
    }
    Remove-SecondUser $user
}

Describe 'Private by default' -Skip:$NoModes {
    It 'creates the store, its side files, the log, token, key, opt-out list, journal and report 0600, in folders 0700' -Tag SecondUser {
        $optOuts = @(Get-ChildItem (Join-Path $dataFolder 'optouts') -Filter '*.json')
        $optOuts.Count | Should -Be 1
        $registered = @(Get-ChildItem (Join-Path $dataFolder 'receivers') -Filter '*.json')
        $registered.Count | Should -BeGreaterThan 0
        $files = @('', '-wal', '-shm', '.log', '.lock', '.token', '.query-key', '.receiver.json' | ForEach-Object { "$store$_" }) +
            $optOuts.FullName + $registered.FullName + $journal + $report
        foreach ($file in $files) { "$file $(Get-Mode $file)" | Should -Be "$file -rw-------" }
        # The module's folder is closed even though an older version had left it open.
        foreach ($folder in $dataFolder, (Join-Path $dataFolder 'optouts'), (Join-Path $dataFolder 'receivers')) { "$folder $(Get-Mode $folder)" | Should -Be "$folder drwx------" }
    }

    It 'closes the log an older version left readable by everyone, and says so once' -Tag SecondUser {
        @($startWarnings | Where-Object { "$_" -like "*$store.log*could be read by other users*" }).Count | Should -Be 1
        Get-Content -LiteralPath "$store.log" -TotalCount 1 | Should -Be "an older version's line"
    }

    It 'lets the second user read none of it, nor list the module''s folder' -Tag SecondUser {
        if (Skip-WithoutSecondUser) { return }
        Set-Traversable $env:XDG_DATA_HOME
        Set-Traversable $work
        # An ordinary file beside the journal is readable to them: the test can see a leak.
        Set-Content -LiteralPath (Join-Path $work 'ordinary.txt') -Value 'anyone'
        Test-SecondUserCanRead $user (Join-Path $work 'ordinary.txt') | Should -BeTrue
        Test-SecondUserCanRead $user $dataFolder | Should -BeFalse
        (Invoke-AsSecondUser $user 'head', '-c', '1', '--', $store).Output | Should -BeLike '*Permission denied*'

        # Even with a way through the folders opened, each file keeps them out by its own mode.
        Set-Traversable (Join-Path $dataFolder 'optouts')
        $files = @('', '-wal', '-shm', '.log', '.token', '.query-key' | ForEach-Object { "$store$_" }) +
            (Get-ChildItem (Join-Path $dataFolder 'optouts') -Filter '*.json').FullName + $journal + $report
        foreach ($file in $files) { "$file readable: $(Test-SecondUserCanRead $user $file)" | Should -Be "$file readable: False" }
        & chmod 700 $dataFolder (Join-Path $dataFolder 'optouts')
    }
}

Describe 'Nothing planted is trusted' -Skip:$NoModes {
    It 'refuses a token file the second user put in a shared folder, and starts no receiver' -Tag SecondUser {
        if (Skip-WithoutSecondUser) { return }
        $shared = New-SharedFolder $TestDrive
        $planted = Join-Path $shared 'events.db.token'
        Set-SecondUserFile $user $planted 'planted_0123456789abcdefghijKLMN'
        $err = { Start-SobotReceiver -Path (Join-Path $shared 'events.db') } | Should -Throw -PassThru
        Assert-UnsafePath $err $planted "remove it (rm '$planted'), or use another path."
        $err.Exception.Message | Should -BeLike "*owned by uid $($user.Uid)*"
        $err.Exception.Message | Should -Not -BeLike '*planted_0123456789*'
        Test-Path (Join-Path $shared 'events.db.receiver.json') | Should -BeFalse
        @(Get-SobotReceiver | Where-Object StorePath -EQ (Join-Path $shared 'events.db')).Count | Should -Be 0
    }

    It 'refuses a key file of ours that others can read, with the chmod that fixes it; fixed, that key is used' -Tag SecondUser {
        $folder = New-Folder 'readable-key'
        $key = Join-Path $folder 'events.db.query-key'
        Set-Content -LiteralPath $key -Value 'readable_0123456789abcdefghijKLMN' -NoNewline
        & chmod 644 $key
        $err = { Start-SobotReceiver -Path (Join-Path $folder 'events.db') } | Should -Throw -PassThru
        Assert-UnsafePath $err $key "chmod 600 '$key'"
        & chmod 600 $key
        $fixed = Start-SobotReceiver -Path (Join-Path $folder 'events.db')
        $started.Add($fixed)
        $fixed.QueryKey | ConvertFrom-SecureString -AsPlainText | Should -Be 'readable_0123456789abcdefghijKLMN'
    }

    It 'never writes the log, a -wal, a report or a journal through a symbolic link, and leaves its target as it was' -Tag SecondUser {
        $links = New-Folder 'links'
        $victim = New-Victim
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $links 'events.db.log') -Target $victim
        $err = { Start-SobotReceiver -Path (Join-Path $links 'events.db') } | Should -Throw -PassThru
        Assert-UnsafePath $err (Join-Path $links 'events.db.log')
        Assert-Victim $victim

        $wal = New-Folder 'links-wal'
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $wal 'events.db-wal') -Target $victim
        $err = { Start-SobotReceiver -Path (Join-Path $wal 'events.db') } | Should -Throw -PassThru
        Assert-UnsafePath $err (Join-Path $wal 'events.db-wal') "remove it (rm '$(Join-Path $wal 'events.db-wal')'), or use another path."
        Assert-Victim $victim

        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $links 'report.html') -Target $victim
        Get-SobotCampaignReport -JournalPath $journal -Path (Join-Path $links 'report.html') -ErrorVariable reportErrors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $reportErrors.Count | Should -Be 1
        Assert-UnsafePath $reportErrors[0] (Join-Path $links 'report.html')
        Assert-Victim $victim

        $before = @(Get-EmulatorMessage $emulator).Count
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $links 'campaign.jsonl') -Target $victim
        $err = { $rows | Send-SobotTemplate -TemplateName hello_world -JournalPath (Join-Path $links 'campaign.jsonl') } | Should -Throw -PassThru
        Assert-UnsafePath $err (Join-Path $links 'campaign.jsonl')
        Assert-Victim $victim
        @(Get-EmulatorMessage $emulator).Count | Should -Be $before
    }

    It 'refuses a world-writable journal the second user made: nothing is skipped as sent, and without it every row goes out' -Tag SecondUser {
        if (Skip-WithoutSecondUser) { return }
        $shared = New-SharedFolder $TestDrive
        $forged = Join-Path $shared 'campaign.jsonl'
        # What they write says every row was sent (the records of a real run), and everyone may change it.
        Set-SecondUserFile $user $forged (Get-Content -Raw -LiteralPath $journal) -Umask '000'
        Get-Mode $forged | Should -Be '-rw-rw-rw-'
        $before = @(Get-EmulatorMessage $emulator).Count
        $err = { $rows | Send-SobotTemplate -TemplateName hello_world -JournalPath $forged } | Should -Throw -PassThru
        Assert-UnsafePath $err $forged "remove it (rm '$forged'), or use another path."
        $err.Exception.Message | Should -BeLike "*owned by uid $($user.Uid)*"
        @(Get-EmulatorMessage $emulator).Count | Should -Be $before

        Remove-Item -LiteralPath $forged
        $sent = @($rows | Send-SobotTemplate -TemplateName hello_world -JournalPath $forged)
        $sent.Count | Should -Be 3
        @(Get-EmulatorMessage $emulator).Count | Should -Be ($before + 3)
        Get-Mode $forged | Should -Be '-rw-------'
    }

    It 'refuses a folder others can write, naming it and the fix, and writes nothing into it' -Tag SecondUser {
        $open = New-Folder 'open' '777'
        $err = { $rows | Send-SobotTemplate -TemplateName hello_world -JournalPath (Join-Path $open 'campaign.jsonl') } | Should -Throw -PassThru
        Assert-UnsafePath $err $open "chmod go-w '$open'"
        $err = { Start-SobotReceiver -Path (Join-Path $open 'events.db') } | Should -Throw -PassThru
        Assert-UnsafePath $err $open "chmod go-w '$open'"
        @(Get-ChildItem -Force $open).Count | Should -Be 0
    }

    It 'warns about a receiver state file the second user planted in a shared folder, and hands out nothing it names' -Tag SecondUser {
        if (Skip-WithoutSecondUser) { return }
        $shared = New-SharedFolder $TestDrive
        $planted = Join-Path $shared 'events.db.receiver.json'
        # Their listener as the query URL, our real key file as the key: a receiver object made of it would send them our key.
        $state = @{ version = 1; pid = $PID; store = (Join-Path $shared 'events.db'); queryUrl = 'http://127.0.0.1:9'
            webhookUrlMasked = ''; queryKeyFile = "$store.query-key"; detached = $true } | ConvertTo-Json -Compress
        Set-SecondUserFile $user $planted $state
        Test-Path -LiteralPath "$store.query-key" | Should -BeTrue
        $found = @(Get-SobotReceiver -Path $shared -WarningVariable plantedWarnings -WarningAction SilentlyContinue)
        $found.Count | Should -Be 0
        @($plantedWarnings | Where-Object { "$_" -like "*$planted*owned by uid $($user.Uid)*" }).Count | Should -Be 1
    }
}
