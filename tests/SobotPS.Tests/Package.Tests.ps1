BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # A pwsh whose HOME is a scratch folder: its PSResourceGet repositories and CurrentUser modules live there.
    function Invoke-IsolatedPwsh([string] $Home_, [string] $Script) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $Script)) { $psi.ArgumentList.Add($a) }
        $psi.Environment['HOME'] = $Home_
        foreach ($v in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'PSModulePath') { $null = $psi.Environment.Remove($v) }
        $psi.RedirectStandardOutput = $true
        $psi.UseShellExecute = $false
        $p = [System.Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $out }
    }
}

Describe 'Installing from a repository' {
    It 'publishes a .nupkg, installs it with Install-PSResource into a fresh profile, imports it by name and sends' {
        $repository = Join-Path $TestDrive 'repository'
        $nupkg = & (Join-Path $RepoRoot 'build/Publish-LocalRepository.ps1') -ModulePath (Split-Path $ModuleManifest) -RepositoryPath $repository
        $version = (Test-ModuleManifest $ModuleManifest).Version
        $nupkg.Name | Should -Be "SobotPS.$version.nupkg"

        $home_ = Join-Path $TestDrive 'home'
        $null = New-Item -ItemType Directory $home_
        $install = Invoke-IsolatedPwsh $home_ @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name Local -Uri '$repository' -Trusted
Install-PSResource -Name SobotPS -Repository Local -Scope CurrentUser -TrustRepository
(Get-InstalledPSResource SobotPS).Version.ToString()
"@
        $install.ExitCode | Should -Be 0
        $install.Output.Trim() | Should -Be $version.ToString()

        $emulator = Start-TestEmulator
        try {
            $send = Invoke-IsolatedPwsh $home_ @"
`$ErrorActionPreference = 'Stop'
Import-Module SobotPS
(Get-Module SobotPS).ModuleBase
Connect-Sobot -AccessKey demo-access-key -SecretKey (ConvertTo-SecureString demo-secret-key -AsPlainText -Force) -BaseUri '$($emulator.BaseUri)'
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
}
