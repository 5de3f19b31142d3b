using System.Management.Automation;

namespace SobotPS.InProcess.Tests;

/// <summary>
/// What every cmdlet declares, read from the module as PowerShell loaded it: a rule broken by a new cmdlet fails here
/// with the cmdlet's name, before any end-to-end run.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class CmdletMetadataTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();

    public void Dispose() => _ps.Dispose();

    /// <summary>The cmdlets that change something (on Sobot, in the receiver's store, a process, a file): -WhatIf and -Confirm.</summary>
    private static readonly string[] Changing =
    {
        "Add-SobotCustomer", "Add-SobotOptOut", "Get-SobotCampaignReport", "Invoke-SobotApi", "New-SobotTemplate",
        "Remove-SobotConsumer", "Remove-SobotOptOut", "Send-SobotButtonMessage", "Send-SobotDocumentMessage",
        "Send-SobotImageMessage", "Send-SobotListMessage", "Send-SobotLocationMessage", "Send-SobotProductMessage",
        "Send-SobotStickerMessage", "Send-SobotTemplate", "Send-SobotTextMessage", "Send-SobotVideoMessage",
        "Set-SobotConsumer", "Set-SobotCustomer", "Start-SobotReceiver", "Stop-SobotReceiver", "Sync-SobotTemplate",
    };

    /// <summary>The cmdlets that never call the Sobot API or the receiver, so take no -Connection.</summary>
    private static readonly string[] Offline =
    {
        "Connect-Sobot", "Disconnect-Sobot", "Get-SobotConnection", "Start-SobotReceiver", "Stop-SobotReceiver", "Get-SobotReceiver",
        "ConvertFrom-SobotWebhook", "New-SobotListRow", "New-SobotListSection", "New-SobotProductSection",
    };

    [Fact]
    public void The_module_exports_exactly_the_cmdlets_its_manifest_lists()
    {
        var listed = _ps.Run("(Import-PowerShellDataFile $m).CmdletsToExport", new Dictionary<string, object?> { ["m"] = BuiltModule.Manifest })
            .Output.Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(42, listed.Count);
        Assert.Equal(listed, _ps.Cmdlets().Select(c => c.Name));
    }

    [Fact]
    public void Every_cmdlet_uses_an_approved_verb_and_a_singular_noun_that_starts_with_Sobot()
    {
        var approved = _ps.Run("(Get-Verb).Verb").Output.Select(o => o.ToString()).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Send", approved);
        var wrong = new List<string>();
        foreach (var c in _ps.Cmdlets())
        {
            if (!approved.Contains(c.Verb)) wrong.Add($"{c.Name}: '{c.Verb}' is not an approved verb");
            if (!c.Noun.StartsWith("Sobot", StringComparison.Ordinal)) wrong.Add($"{c.Name}: the noun does not start with Sobot");
            // Singular: a plural noun ends in s (Customers, Templates); Status and Address end in s and are singular.
            if (c.Noun.EndsWith('s') && !c.Noun.EndsWith("ss", StringComparison.Ordinal) && !c.Noun.EndsWith("us", StringComparison.Ordinal))
                wrong.Add($"{c.Name}: the noun reads as a plural");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Every_cmdlet_declares_output_types_that_PowerShell_can_resolve()
    {
        var wrong = new List<string>();
        foreach (var c in _ps.Cmdlets())
        {
            if (c.OutputType.Count == 0) wrong.Add($"{c.Name}: no [OutputType]");
            foreach (var t in c.OutputType)
                if (t.Type is null) wrong.Add($"{c.Name}: output type '{t.Name}' does not resolve to a loaded type");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Exactly_the_cmdlets_that_change_something_support_WhatIf_and_Confirm_and_removals_ask_first()
    {
        var cmdlets = _ps.Cmdlets();
        // A new cmdlet with a verb that changes something belongs in Changing: adding it without -WhatIf fails here.
        var changingVerbs = new[] { "Send", "Add", "Set", "Sync", "Invoke", "Remove", "Start", "Stop" };
        var unlisted = cmdlets.Where(c => changingVerbs.Contains(c.Verb) && !Changing.Contains(c.Name)).Select(c => c.Name).ToList();
        Assert.True(unlisted.Count == 0, "Changing lacks: " + string.Join(", ", unlisted));
        var supporting = cmdlets.Where(c => c.Parameters.ContainsKey("WhatIf")).Select(c => c.Name).ToList();
        Assert.Equal(Changing.OrderBy(n => n, StringComparer.Ordinal), supporting);
        foreach (var c in cmdlets)
        {
            var attribute = (CmdletAttribute)Attribute.GetCustomAttribute(c.ImplementingType, typeof(CmdletAttribute))!;
            Assert.True(c.Parameters.ContainsKey("Confirm") == attribute.SupportsShouldProcess, c.Name);
            // A removal cannot be sent again: it asks at the default $ConfirmPreference (High). A send must not ask
            // per row of a bulk run.
            if (c.Verb == "Remove") Assert.True(attribute.ConfirmImpact == ConfirmImpact.High, $"{c.Name}: ConfirmImpact {attribute.ConfirmImpact}");
            if (c.Verb == "Send") Assert.True(attribute.ConfirmImpact < ConfirmImpact.High, $"{c.Name}: ConfirmImpact {attribute.ConfirmImpact}");
        }
    }

    [Fact]
    public void Every_cmdlet_that_calls_the_API_or_the_receiver_takes_Connection_and_no_other_does()
    {
        var wrong = _ps.Cmdlets()
            .Where(c => c.Parameters.ContainsKey("Connection") == Offline.Contains(c.Name) && c.Name != "Disconnect-Sobot")
            .Select(c => $"{c.Name}: {(Offline.Contains(c.Name) ? "takes" : "lacks")} -Connection").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    public static TheoryData<string, string, string[]> PipedParameters => new()
    {
        // A spreadsheet's column, under the names exports use.
        { "Send-SobotTextMessage", "CustomerNumber", new[] { "customer_number", "Mobile", "Phone", "PhoneNumber", "Number" } },
        { "Send-SobotTextMessage", "CustomerName", new[] { "customer_name", "Name" } },
        { "Add-SobotCustomer", "CustomerNumber", new[] { "customer_number", "Mobile", "Phone", "PhoneNumber", "Number" } },
        { "Get-SobotCustomer", "CustomerNumber", new[] { "customer_number", "Mobile", "Phone", "PhoneNumber", "Number" } },
        { "Add-SobotOptOut", "CustomerNumber", new[] { "customer_number", "Mobile", "Phone", "Number" } },
        { "Get-SobotConversationWindow", "CustomerNumber", new[] { "customer_number", "Mobile", "Phone", "Number" } },
        // A send result or a journal entry.
        { "Wait-SobotReply", "CustomerNumber", new[] { "customer_number", "Mobile", "Phone", "Number" } },
        { "Get-SobotMessageStatus", "MessageId", new[] { "Id", "wamid" } },
        // A file from Get-ChildItem.
        { "Get-SobotJournal", "Path", new[] { "FullName", "JournalPath" } },
        { "Get-SobotCampaignReport", "JournalPath", new[] { "FullName" } },
        { "Get-SobotReceiver", "Path", new[] { "FullName", "StorePath" } },
    };

    [Theory]
    [MemberData(nameof(PipedParameters))]
    public void A_parameter_users_pipe_binds_by_property_name_under_its_documented_aliases(string cmdlet, string parameter, string[] aliases)
    {
        var c = _ps.Cmdlets().Single(x => x.Name == cmdlet);
        var p = c.Parameters[parameter];
        Assert.Contains(p.Attributes.OfType<ParameterAttribute>(), a => a.ValueFromPipelineByPropertyName);
        Assert.Equal(aliases, p.Aliases);
    }

    [Fact]
    public void Every_Send_cmdlet_binds_the_customer_columns_by_property_name_with_the_same_aliases()
    {
        var sends = _ps.Cmdlets().Where(c => c.Verb == "Send").ToList();
        Assert.Equal(10, sends.Count);
        foreach (var c in sends)
            foreach (var (name, aliases) in new[] { ("CustomerNumber", new[] { "customer_number", "Mobile", "Phone", "PhoneNumber", "Number" }), ("CustomerName", new[] { "customer_name", "Name" }) })
            {
                var p = c.Parameters[name];
                Assert.True(p.Attributes.OfType<ParameterAttribute>().Any(a => a.ValueFromPipelineByPropertyName), $"{c.Name} -{name}");
                Assert.True(aliases.SequenceEqual(p.Aliases), $"{c.Name} -{name}: aliases {string.Join(", ", p.Aliases)}");
            }
    }
}
