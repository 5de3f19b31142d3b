@{
    RootModule             = 'SobotPS.dll'
    # The build writes the version of Directory.Build.props here in the staged copy (out/SobotPS).
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Desktop', 'Core')
    GUID                   = '5f0f7c3e-8d0e-4b5e-9a8c-2f4b6f9d1a37'
    Author                 = 'SobotPS contributors'
    CompanyName            = 'SobotPS'
    Copyright              = '(c) SobotPS contributors. MIT License.'
    Description            = 'WhatsApp through the Sobot API, both ways, from scripts, scheduled tasks and the prompt. Send every message type and templates (bulk sending with pacing, safe retries and a resumable journal), manage templates and customers. Listen through the included webhook receiver (SQLite or PostgreSQL): wait for replies and deliveries, hand inbound messages to consumers, honour opt-outs and the 24-hour window before sending, and report on campaigns; a receiver outage is warned about and named, never a silent failure or a false answer. Includes a local Sobot emulator to try scripts offline.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('SobotPS.Format.ps1xml')
    CmdletsToExport        = @(
        'Connect-Sobot'
        'Start-SobotReceiver'
        'Stop-SobotReceiver'
        'Get-SobotReceiver'
        'Get-SobotEvent'
        'Receive-SobotMessage'
        'Wait-SobotReply'
        'Wait-SobotDelivery'
        'Get-SobotMessageStatus'
        'Get-SobotConsumer'
        'Set-SobotConsumer'
        'Remove-SobotConsumer'
        'Get-SobotCampaignReport'
        'Get-SobotConversationWindow'
        'Get-SobotOptOut'
        'Add-SobotOptOut'
        'Remove-SobotOptOut'
        'Disconnect-Sobot'
        'Get-SobotConnection'
        'Test-SobotConnection'
        'Send-SobotTextMessage'
        'Send-SobotImageMessage'
        'Send-SobotVideoMessage'
        'Send-SobotDocumentMessage'
        'Send-SobotStickerMessage'
        'Send-SobotLocationMessage'
        'Send-SobotButtonMessage'
        'Send-SobotListMessage'
        'Send-SobotProductMessage'
        'Send-SobotTemplate'
        'New-SobotListSection'
        'New-SobotListRow'
        'New-SobotProductSection'
        'New-SobotTemplate'
        'Get-SobotTemplate'
        'Sync-SobotTemplate'
        'Add-SobotCustomer'
        'Set-SobotCustomer'
        'Get-SobotCustomer'
        'ConvertFrom-SobotWebhook'
        'Invoke-SobotApi'
        'Get-SobotJournal'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Sobot', 'WhatsApp', 'Messaging', 'Notification', 'API', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/sobotps/SobotPS'
            LicenseUri   = 'https://github.com/sobotps/SobotPS/blob/main/LICENSE'
            ReleaseNotes = 'First release: every documented Sobot operation as cmdlets, bulk sending with pacing, safe retries and a resumable journal, help for every cmdlet, and a local Sobot emulator. See CHANGELOG.md.'
        }
    }
}
