BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $RepoRoot 'build/ScratchPwsh.ps1')
    . (Join-Path $RepoRoot 'build/ShippedAssemblies.ps1')

    $shipped = @(Get-ShippedAssembly | Sort-Object)
    # The package the Package task publishes, made by the same script, into a folder outside the checkout.
    $repository = Join-Path $TestDrive 'repository'
    $nupkg = & (Join-Path $RepoRoot 'build/Publish-LocalRepository.ps1') -ModulePath (Split-Path $ModuleManifest) -RepositoryPath $repository
}

Describe 'What ships' {
    It 'lists each DLL once, by file name' {
        $shipped | Should -Not -BeNullOrEmpty
        $shipped | ForEach-Object { $_ | Should -Match '^[\w.]+\.dll$' }
        @($shipped | Sort-Object -Unique).Count | Should -Be $shipped.Count
    }

    It 'out/SobotPS holds exactly the listed DLLs' {
        # receiver/ is the webhook receiver, a process of its own that PowerShell never loads.
        $staged = Get-ChildItem (Split-Path $ModuleManifest) -Recurse -File -Filter '*.dll' |
            ForEach-Object { [IO.Path]::GetRelativePath((Split-Path $ModuleManifest), $_.FullName) } |
            Where-Object { $_ -notlike 'receiver*' } | Sort-Object
        $staged | Should -Be $shipped
        Test-Path (Join-Path (Split-Path $ModuleManifest) 'receiver/Sobot.Receiver.dll') | Should -BeTrue
    }

    It 'the .nupkg holds exactly the listed DLLs, at its root' {
        $zip = [IO.Compression.ZipFile]::OpenRead($nupkg.FullName)
        try { $all = @($zip.Entries | Where-Object { $_.FullName -like '*.dll' } | ForEach-Object FullName) }
        finally { $zip.Dispose() }
        @($all | Where-Object { $_ -notlike 'receiver/*' } | Sort-Object) | Should -Be $shipped
        $all | Should -Contain 'receiver/Sobot.Receiver.dll'
    }

    It 'the loader in SobotPS.dll resolves exactly the listed names' {
        $field = [SobotPS.ModuleInitializer].GetField('Shipped', [Reflection.BindingFlags]'NonPublic, Static')
        @($field.GetValue($null) | Sort-Object) | Should -Be @($shipped | ForEach-Object { [IO.Path]::GetFileNameWithoutExtension($_) })
    }
}

Describe 'Installing from a repository' {
    It 'publishes a .nupkg, installs it with Install-PSResource into a fresh profile, imports it by name and sends' {
        $version = (Test-ModuleManifest $ModuleManifest).Version
        $nupkg.Name | Should -Be "SobotPS.$version.nupkg"

        $home_ = Join-Path $TestDrive 'home'
        $install = Invoke-ScratchPwsh -ProfilePath $home_ -Command @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name Local -Uri '$repository' -Trusted
Install-PSResource -Name SobotPS -Repository Local -Scope CurrentUser -TrustRepository
(Get-InstalledPSResource SobotPS).Version.ToString()
"@
        $install.ExitCode | Should -Be 0
        $install.Output.Trim() | Should -Be $version.ToString()

        $emulator = Start-TestEmulator
        try {
            $keys = @{ SOBOT_ACCESS_KEY = $emulator.AccessKey; SOBOT_SECRET_KEY = $emulator.SecretKey; SOBOT_BASE_URI = $emulator.BaseUri }
            $send = Invoke-ScratchPwsh -ProfilePath $home_ -Environment $keys -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module SobotPS
(Get-Module SobotPS).ModuleBase
Connect-Sobot
(Send-SobotTemplate -CustomerNumber 919970585556 -TemplateName hello_world).MessageId
"@
            $send.ExitCode | Should -Be 0
            $lines = $send.Output.Trim() -split "`r?`n"
            $lines[0] | Should -BeLike "$home_*"          # the installed copy, not out/
            $lines[-1] | Should -BeLike 'wamid.*'
            (Get-EmulatorMessage $emulator).id | Should -Be $lines[-1]
        }
        finally { $emulator | Stop-SobotEmulator }
    }

    It 'runs the child pwsh with its home, profile folders and working directory all inside the scratch profile' {
        $profileDir = Join-Path $TestDrive 'profile'
        $r = Invoke-ScratchPwsh -ProfilePath $profileDir -Command @'
[Environment]::CurrentDirectory
$HOME
[Environment]::GetFolderPath('LocalApplicationData')   # PSResourceGet's repository list
[Environment]::GetFolderPath('ApplicationData')        # NuGet.Config
$env:DOTNET_CLI_HOME
'@
        $r.ExitCode | Should -Be 0
        $paths = $r.Output.Trim() -split "`r?`n"
        $paths.Count | Should -Be 5
        foreach ($p in $paths) { $p | Should -BeLike "$profileDir*" }
    }
}
