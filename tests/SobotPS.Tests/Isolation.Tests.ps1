BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $otherPhoneNumbers = Join-Path $packages 'libphonenumber-csharp/9.0.38/lib/netstandard2.0/PhoneNumbers.dll'
}

Describe 'Assembly conflicts with other modules' {
    It 'imports and sends after another version of PhoneNumbers.dll (libphonenumber-csharp) was loaded first' {
        Test-Path $otherPhoneNumbers | Should -BeTrue -Because 'build/tools/BuildTools.csproj restores libphonenumber-csharp 9.0.38 for this test'
        $emulator = Start-TestEmulator -ArgumentList '--no-window'
        try {
            $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$otherPhoneNumbers'                      # what another module would do first
`$before = [PhoneNumbers.PhoneNumberUtil].Assembly.GetName().Version.ToString()
Import-Module '$ModuleManifest'
Connect-Sobot -DefaultRegion IN                            # the keys from the environment, never the command line
`$r = Send-SobotTextMessage -CustomerNumber '099705 85556' -Message 'hi'
# The other module's copy still works for it, untouched.
`$theirs = [PhoneNumbers.PhoneNumberUtil]::GetInstance().Parse('+919970585556', 'ZZ').CountryCode
`$versions = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'PhoneNumbers' } | ForEach-Object { `$_.GetName().Version.ToString() } | Sort-Object
"`$before|`$(`$r.CustomerNumber)|`$(`$r.MessageId)|`$theirs|`$(`$versions -join ',')"
"@
            $env:SOBOT_ACCESS_KEY, $env:SOBOT_SECRET_KEY, $env:SOBOT_BASE_URI = $emulator.AccessKey, $emulator.SecretKey, $emulator.BaseUri
            try { $out = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script }
            finally { Remove-Item Env:SOBOT_ACCESS_KEY, Env:SOBOT_SECRET_KEY, Env:SOBOT_BASE_URI }
            $LASTEXITCODE | Should -Be 0
            $before, $number, $id, $theirs, $versions = ($out | Select-Object -Last 1) -split '\|'
            $before | Should -Be '9.0.38.0'
            $number | Should -Be '919970585556'
            $id | Should -BeLike 'wamid.*'
            $theirs | Should -Be '91'
            $versions | Should -Be '9.0.38.0,9.0.43.0'   # both loaded side by side, each serving its own module
        }
        finally { $emulator | Stop-SobotEmulator }
    }
}
