# Several receivers on one PostgreSQL database, started from PowerShell, form one service.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # A throwaway cluster, as the postgres user when this runs as root (the server refuses root); only it is stopped.
    $bin = @('/usr/local/bin', '/usr/local/pgsql/bin', '/usr/bin') + @(Get-ChildItem /usr/lib/postgresql/*/bin -Directory -ErrorAction Ignore | Sort-Object FullName -Descending | ForEach-Object FullName) |
        Where-Object { (Test-Path (Join-Path $_ 'initdb')) -and (Test-Path (Join-Path $_ 'pg_ctl')) } | Select-Object -First 1
    if (-not $bin) { throw 'PostgreSQL is needed for these tests and was not found (initdb, pg_ctl): .ci/run installs the postgresql package.' }
    $root = [Environment]::UserName -eq 'root'
    $cluster = Join-Path '/tmp' ('sobotps-pg-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $cluster
    if ($root) { & chown postgres $cluster }
    function Invoke-Pg([string] $Tool, [string[]] $Arguments) {
        $exe = Join-Path $bin $Tool
        if ($root) { & runuser -u postgres -- $exe @Arguments 2>&1 | Out-Null } else { & $exe @Arguments 2>&1 | Out-Null }
        if ($LASTEXITCODE -ne 0) { throw "$Tool failed ($LASTEXITCODE)." }
    }
    Invoke-Pg initdb @('-D', "$cluster/data", '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync')
    $pgPort = Get-FreePort
    Invoke-Pg pg_ctl @('-D', "$cluster/data", '-l', "$cluster/server.log", '-w', '-t', '60', '-o', "-p $pgPort -k $cluster -c listen_addresses=127.0.0.1", 'start')
    $connectionString = ConvertTo-TestSecret "Host=127.0.0.1;Port=$pgPort;Username=postgres;Database=postgres"

    $token = ConvertTo-TestSecret ([guid]::NewGuid().ToString('N') + 'abcdef')
    $key = ConvertTo-TestSecret ([guid]::NewGuid().ToString('N') + 'abcdef')
    $a = Start-SobotReceiver -ConnectionString $connectionString -Token $token -QueryKey $key
    $b = Start-SobotReceiver -ConnectionString $connectionString -Token $token -QueryKey $key
    $emulator = Start-TestEmulator -ArgumentList '--no-window', '--webhook-url', ($a.WebhookUrl | ConvertFrom-SecureString -AsPlainText)
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
    $a, $b | Stop-SobotReceiver
    # A receiver on PostgreSQL logs to a file in the temporary folder, left for its user to read: this test's own go.
    $a, $b | ForEach-Object { if ($_.LogPath) { Remove-Item -LiteralPath $_.LogPath -ErrorAction SilentlyContinue } }
    Invoke-Pg pg_ctl @('-D', "$cluster/data", '-m', 'fast', '-w', '-t', '60', 'stop')
    Remove-Item $cluster -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Start-SobotReceiver -ConnectionString' {
    It 'starts receivers that share one store: a webhook posted to one answers a wait on the other' {
        $a.StorePath | Should -BeLike 'postgresql://127.0.0.1:*/postgres'
        $a.ProcessId | Should -Not -Be $b.ProcessId
        ($a.WebhookUrl | ConvertFrom-SecureString -AsPlainText) -replace ':\d+/', ':/' | Should -Be (($b.WebhookUrl | ConvertFrom-SecureString -AsPlainText) -replace ':\d+/', ':/')
        Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $b
        $q = Send-SobotTextMessage -CustomerNumber 919970585556 -Message 'Both there?' -SkipWindowCheck
        $null = Send-SobotEmulatorReply $emulator -MessageId $q.MessageId -Text 'yes'
        ($q | Wait-SobotReply -TimeoutSec 30).Text | Should -Be 'yes'
        ($q | Wait-SobotDelivery -Until Read -TimeoutSec 30).Status | Should -Be 'read'
        Add-SobotOptOut -CustomerNumber 919970585557 -Reason 'asked by phone'
        Connect-Sobot -AccessKey $emulator.AccessKey -SecretKey (ConvertTo-TestSecret $emulator.SecretKey) -BaseUri $emulator.BaseUri -Receiver $a
        (Get-SobotOptOut -CustomerNumber 919970585557).Source | Should -Be 'manual:asked by phone'
    }
}
