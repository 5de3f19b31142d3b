BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $emulator = Start-TestEmulator -ArgumentList '--no-window'
    Connect-TestEmulator $emulator
    $n = '919970585556'
    function Get-LastBody { (Get-EmulatorMessage $emulator)[-1].body }
}

AfterAll {
    Disconnect-Sobot
    $emulator | Stop-SobotEmulator
}

Describe 'Every free-form message type' {
    BeforeEach { Reset-Emulator $emulator }

    It 'sends a video with its MIME type inferred' {
        $r = Send-SobotVideoMessage -CustomerNumber $n -Url https://cdn.example.com/clip.3gp -Caption 'Watch'
        $r.MessageType | Should -Be 'video'
        (Get-LastBody | ConvertTo-Json -Compress) | Should -Be '{"customer_number":"919970585556","customer_name":"919970585556","type":"video","url":"https://cdn.example.com/clip.3gp","mime_type":"video/3gp","caption":"Watch"}'
    }

    It 'sends a document, naming it after the URL when -FileName is omitted' {
        $null = Send-SobotDocumentMessage -CustomerNumber $n -Url 'https://cdn.example.com/files/Q3%20report.xlsx'
        $b = Get-LastBody
        $b.filename | Should -Be 'Q3 report.xlsx'
        $b.mime_type | Should -Be 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        $null = Send-SobotDocumentMessage -CustomerNumber $n -Url https://cdn.example.com/x.pdf -FileName 'Invoice 42.pdf' -Caption 'Your invoice'
        (Get-LastBody).filename | Should -Be 'Invoice 42.pdf'
    }

    It 'sends a sticker as image/webp and refuses other types' {
        $null = Send-SobotStickerMessage -CustomerNumber $n -Url https://cdn.example.com/s.webp
        (Get-LastBody | ConvertTo-Json -Compress) | Should -Be '{"customer_number":"919970585556","customer_name":"919970585556","type":"sticker","url":"https://cdn.example.com/s.webp","mime_type":"image/webp"}'
        Send-SobotStickerMessage -CustomerNumber $n -Url https://cdn.example.com/s.png -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -BeLike '*image/webp*'
    }

    It 'sends a location with invariant-culture coordinate strings and warns about an address without a name' {
        $null = Send-SobotLocationMessage -CustomerNumber $n -Latitude 18.5204 -Longitude 73.8567 -LocationName 'Pune office' -Address 'MH, India'
        (Get-LastBody | ConvertTo-Json -Compress) | Should -Be '{"customer_number":"919970585556","customer_name":"919970585556","type":"location","latitude":"18.5204","longitude":"73.8567","location_name":"Pune office","address":"MH, India"}'
        $null = Send-SobotLocationMessage -CustomerNumber $n -Latitude 1 -Longitude 2 -Address 'Somewhere' -WarningVariable w -WarningAction SilentlyContinue
        $w[0] | Should -BeLike '*-LocationName*'
        Send-SobotLocationMessage -CustomerNumber $n -Latitude 91 -Longitude 0 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -BeLike "*'latitude'*-90 to 90*"
    }

    It 'sends quick-reply buttons with the footer as caption' {
        $null = Send-SobotButtonMessage -CustomerNumber $n -Message 'Was this helpful?' -Button Yes, No -Header 'Feedback' -Footer 'Reply any time'
        (Get-LastBody | ConvertTo-Json -Compress) | Should -Be '{"customer_number":"919970585556","customer_name":"919970585556","type":"quick_reply","message":"Was this helpful?","buttons":["Yes","No"],"header":"Feedback","caption":"Reply any time"}'
    }

    It 'takes buttons from a CSV cell separated by ;' {
        $row = [pscustomobject]@{ Mobile = $n; Message = 'Pick'; Button = 'Red;Green;Blue' }
        $null = $row | Send-SobotButtonMessage
        (Get-LastBody).buttons | Should -Be @('Red', 'Green', 'Blue')
    }

    It 'sends a list from plain hashtables' {
        $sections = @(
            @{ Title = 'one'; Rows = @(@{ Id = 'id_1'; Title = 'First title'; Description = 'optional' }, @{ Id = 'id_2'; Title = 'Second' }) }
        )
        $null = Send-SobotListMessage -CustomerNumber $n -Message 'Choose' -ButtonText 'See options' -Section $sections -Footer 'f'
        (Get-LastBody).list_obj | ConvertTo-Json -Depth 6 -Compress |
            Should -Be '{"button":"See options","sections":[{"title":"one","rows":[{"id":"id_1","title":"First title","description":"optional"},{"id":"id_2","title":"Second"}]}]}'
    }

    It 'sends a list from typed builders and from ConvertFrom-Json objects alike' {
        $typed = New-SobotListSection -Title 'one' -Row (New-SobotListRow -Id id_1 -Title 'First title' -Description 'optional')
        $typed | Should -BeOfType Sobot.Client.Models.Requests.ListSection
        $json = '[{"title":"one","rows":[{"id":"id_1","title":"First title","description":"optional"}]}]' | ConvertFrom-Json
        $null = Send-SobotListMessage -CustomerNumber $n -Message m -ButtonText b -Section $typed
        $null = Send-SobotListMessage -CustomerNumber $n -Message m -ButtonText b -Section $json
        $sent = Get-EmulatorMessage $emulator
        ($sent[0].body.list_obj | ConvertTo-Json -Depth 6 -Compress) | Should -Be ($sent[1].body.list_obj | ConvertTo-Json -Depth 6 -Compress)
    }

    It 'sends a single product and a multi-product message' {
        $null = Send-SobotProductMessage -CustomerNumber $n -Message 'Try this' -ProductRetailerId sbt_in_4_1 -Footer 'Today only'
        (Get-LastBody | ConvertTo-Json -Depth 5 -Compress) | Should -Be '{"customer_number":"919970585556","customer_name":"919970585556","type":"product","message":"Try this","product_list":{"product_retailer_id":"sbt_in_4_1"},"caption":"Today only"}'
        $null = Send-SobotProductMessage -CustomerNumber $n -Message 'Cakes' -Header 'Bakery' -Section @{ Title = 'Cakes'; ProductRetailerId = @('sbt_in_4_1', 'sbt_in_4_2') }, (New-SobotProductSection -Title Breads -ProductRetailerId sbt_in_5_1)
        (Get-LastBody).product_list | ConvertTo-Json -Depth 6 -Compress |
            Should -Be '{"sections":[{"title":"Cakes","product_items":[{"product_retailer_id":"sbt_in_4_1"},{"product_retailer_id":"sbt_in_4_2"}]},{"title":"Breads","product_items":[{"product_retailer_id":"sbt_in_5_1"}]}]}'
    }
}

Describe 'Bad input' {
    BeforeEach { Reset-Emulator $emulator }

    It 'refuses malformed sections with a message naming what is missing, and sends nothing' {
        $cases = @(
            @{ Section = @(@{ Rows = @(@{ Id = 'a'; Title = 'b' }) }); Expect = '*has no Title*' }
            @{ Section = @(@{ Title = 't' }); Expect = '*has no Rows*' }
            @{ Section = @(@{ Title = 't'; Rows = 'just text' }); Expect = '*must be a hashtable or object*' }
            @{ Section = @(@{ Title = 't'; Rows = @(@{ Title = 'no id' }) }); Expect = '*has no Id*' }
            @{ Section = @($null); Expect = '*is null*' }
            @{ Section = @(@{ Title = 't'; Rows = @(1..11 | ForEach-Object { @{ Id = "$_"; Title = "$_" } }) }); Expect = '*rows*1 to 10*' }
            @{ Section = @(@{ Title = ('t' * 25); Rows = @(@{ Id = 'a'; Title = 'b' }) }); Expect = "*'list_obj.sections``[0``].title'*24*" }
        )
        foreach ($case in $cases) {
            $err = $null
            Send-SobotListMessage -CustomerNumber $n -Message m -ButtonText b -Section $case.Section -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'InvalidInput,SobotPS.Commands.SendSobotListMessageCommand'
            $err[0].Exception.Message | Should -BeLike $case.Expect
        }
        Send-SobotProductMessage -CustomerNumber $n -Message m -Section @{ Title = 'Empty' } -ErrorVariable perr -ErrorAction SilentlyContinue
        $perr[0].Exception.Message | Should -BeLike '*has no ProductRetailerId*'
        (Get-EmulatorMessage $emulator).Count | Should -Be 0
    }

    It 'checks each documented limit just inside and just outside' {
        $inside = @(
            { Send-SobotButtonMessage -CustomerNumber $n -Message ('m' * 1024) -Button ('b' * 20), 'x', 'y' -Header ('h' * 60) -Footer ('f' * 60) }
            { Send-SobotListMessage -CustomerNumber $n -Message m -ButtonText ('b' * 20) -Section @{ Title = ('t' * 24); Rows = @(@{ Id = ('i' * 200); Title = ('r' * 24); Description = ('d' * 72) }) } }
            { Send-SobotVideoMessage -CustomerNumber $n -Url https://e.com/v.mp4 -Caption ('c' * 1024) }
            { Send-SobotLocationMessage -CustomerNumber $n -Latitude -90 -Longitude 180 }
        )
        $outside = @(
            @{ Run = { Send-SobotButtonMessage -CustomerNumber $n -Message ('m' * 1025) -Button a }; Expect = "*'message'*1024*" }
            @{ Run = { Send-SobotButtonMessage -CustomerNumber $n -Message m -Button ('b' * 21) }; Expect = "*20*" }
            @{ Run = { Send-SobotButtonMessage -CustomerNumber $n -Message m -Button a, b, c, d }; Expect = "*1 to 3*" }
            @{ Run = { Send-SobotButtonMessage -CustomerNumber $n -Message m -Button a, a }; Expect = "*unique*" }
            @{ Run = { Send-SobotButtonMessage -CustomerNumber $n -Message m -Button a -Header ('h' * 61) }; Expect = "*'header'*60*" }
            @{ Run = { Send-SobotButtonMessage -CustomerNumber $n -Message m -Button a -Footer ('f' * 61) }; Expect = "*'caption'*60*" }
            @{ Run = { Send-SobotListMessage -CustomerNumber $n -Message m -ButtonText ('b' * 21) -Section @{ Title = 't'; Rows = @(@{ Id = 'i'; Title = 'r' }) } }; Expect = "*'list_obj.button'*20*" }
            @{ Run = { Send-SobotVideoMessage -CustomerNumber $n -Url https://e.com/v.mp4 -Caption ('c' * 1025) }; Expect = "*'caption'*1024*" }
            @{ Run = { Send-SobotLocationMessage -CustomerNumber $n -Latitude 0 -Longitude 180.5 }; Expect = "*'longitude'*" }
        )
        $ErrorActionPreference = 'Continue'   # collect the non-terminating errors with 2>&1
        foreach ($run in $inside) { & $run | Should -Not -BeNullOrEmpty }
        foreach ($case in $outside) {
            $errs = @(& $case.Run 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInput,*'
            $errs[0].Exception.Message | Should -BeLike $case.Expect
        }
        (Get-EmulatorMessage $emulator).Count | Should -Be $inside.Count
    }

    It 'sends emoji and right-to-left text untouched and refuses 10,000-character strings' {
        $r = Send-SobotTextMessage -CustomerNumber $n -CustomerName 'مريم' -Message 'مرحبا 👋🏽 *عزيزي*'
        $r.CustomerName | Should -Be 'مريم'
        (Get-LastBody).message | Should -Be 'مرحبا 👋🏽 *عزيزي*'
        Send-SobotTextMessage -CustomerNumber $n -Message ('😀' * 4096) | Should -Not -BeNullOrEmpty
        Send-SobotTextMessage -CustomerNumber $n -Message ('x' * 10000) -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -BeLike '*10000*4096*'
        (Get-EmulatorMessage $emulator).Count | Should -Be 2
    }

    It 'refuses null and empty required values per row, not for the whole pipeline' {
        $rows = @(
            [pscustomobject]@{ Mobile = $n; Message = $null }
            [pscustomobject]@{ Mobile = $n; Message = '' }
            [pscustomobject]@{ Mobile = ''; Message = 'x' }
            [pscustomobject]@{ Mobile = $n; Message = 'ok' }
        )
        $r = $rows | Send-SobotTextMessage -ErrorVariable err -ErrorAction SilentlyContinue
        $r.Count | Should -Be 1
        $err.Count | Should -Be 3
        (Get-EmulatorMessage $emulator).Count | Should -Be 1
    }
}
