using System.Management.Automation;
using System.Xml.Linq;

namespace SobotPS.InProcess.Tests;

/// <summary>The module's views (SobotPS.Format.ps1xml, as staged): declared for every output type, and rendered.</summary>
[Collection(ModuleCollection.Name)]
public sealed class FormatViewTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();

    public void Dispose() => _ps.Dispose();

    private static XDocument Views() => XDocument.Load(Path.Combine(BuiltModule.Folder, "SobotPS.Format.ps1xml"));

    /// <summary>The labels a view shows, in order: each column's (or list item's) Label, else its property name.</summary>
    private static List<string> Labels(string typeName, string control)
    {
        var view = Views().Descendants("View").Single(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Any(t => t.Value == typeName) && v.Element(control) != null);
        if (control == "TableControl")
        {
            var headers = view.Descendants("TableColumnHeader").ToList();
            var items = view.Descendants("TableColumnItem").ToList();
            return headers.Select((h, i) => h.Element("Label")?.Value ?? items[i].Element("PropertyName")!.Value).ToList();
        }
        return view.Descendants("ListItem").Select(i => i.Element("Label")?.Value ?? i.Element("PropertyName")!.Value).ToList();
    }

    [Fact]
    public void Every_Sobot_output_type_has_a_table_and_a_list_view_and_no_view_shows_a_secret()
    {
        var types = _ps.Cmdlets().SelectMany(c => c.OutputType).Select(t => t.Name).Where(n => n.StartsWith("Sobot", StringComparison.Ordinal)).Distinct().OrderBy(n => n).ToList();
        Assert.True(types.Count >= 15, $"only {types.Count} output types found");
        var r = _ps.Run("Get-FormatData -TypeName $t -PowerShellVersion $PSVersionTable.PSVersion", new Dictionary<string, object?> { ["t"] = types.ToArray() });
        r.NoErrors();
        var missing = new List<string>();
        foreach (var type in types)
        {
            var controls = r.Output.Select(o => (ExtendedTypeDefinition)o.BaseObject).Where(d => d.TypeNames.Contains(type))
                .SelectMany(d => d.FormatViewDefinition).Select(v => v.Control.GetType().Name).ToList();
            foreach (var needed in new[] { "TableControl", "ListControl" })
                if (!controls.Contains(needed)) missing.Add($"{type}: no {needed}");
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
        Assert.DoesNotMatch("Secret|Credential", File.ReadAllText(Path.Combine(BuiltModule.Folder, "SobotPS.Format.ps1xml")));
    }

    public static TheoryData<string, string, string[]> Webhooks => new()
    {
        {
            "Sobot.Client.Webhooks.SobotInboundMessage",
            """[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"918788000000"},"contacts":[{"profile":{"name":"John"},"wa_id":"919960123456"}],"messages":[{"from":"919960123456","id":"wamid.X1","timestamp":"1692945450","type":"text","text":{"body":"Hi there"}}]}}]""",
            new[] { "919960123456", "John", "text", "Hi there", "wamid.X1" }
        },
        { "Sobot.Client.Webhooks.SobotMessageStatus", """[{"id":"wamid.S","status":"delivered","timestamp":"1692947521"}]""", new[] { "delivered", "wamid.S" } },
        { "Sobot.Client.Webhooks.SobotUnknownWebhookEvent", """{"something":"new"}""", new[] { "something" } },
    };

    [Theory]
    [MemberData(nameof(Webhooks))]
    public void A_webhook_event_renders_the_columns_of_its_table_and_list_views_without_errors(string type, string json, string[] values)
    {
        var r = _ps.Run("""
            $e = ConvertFrom-SobotWebhook -Json $json
            $e.GetType().FullName
            $e | Format-Table -DisplayError | Out-String -Width 250
            $e | Format-List -DisplayError | Out-String -Width 250
            """, new Dictionary<string, object?> { ["json"] = json });
        r.NoErrors();
        Assert.Equal(type, r.Output[0].ToString());
        var table = r.Output[1].ToString();
        var list = r.Output[2].ToString();

        // The header line holds the view's labels in order (not the type's property list), and no cell failed (#ERR).
        var header = table.Split('\n').Select(l => l.TrimEnd()).First(l => l.Length > 0);
        Assert.Equal(Labels(type, "TableControl"), header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var listLabels = list.Split('\n').Select(l => l.Split(':')[0].Trim()).Where(l => l.Length > 0).ToList();
        Assert.Equal(Labels(type, "ListControl"), listLabels.Take(Labels(type, "ListControl").Count));
        Assert.DoesNotContain("#ERR", table + list);
        foreach (var v in values) Assert.Contains(v, table + list);
    }
}
