using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace SobotPS.InProcess.Tests;

/// <summary>
/// Binding from piped objects: run for real where the cmdlet needs no server, and checked against PowerShell's own
/// binder for every documented pipe from one SobotPS cmdlet into another.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class PipelineBindingTests : IDisposable
{
    private readonly ModuleRunspace _ps = new();

    public void Dispose() => _ps.Dispose();

    [Fact]
    public void Spreadsheet_rows_become_list_rows_and_the_rows_piped_on_become_one_section()
    {
        var r = _ps.Run("""
            $rows = @(
                [pscustomobject]@{ Id = 'r1'; Title = 'Red'; Description = 'The red one'; Extra = 'ignored' }
                [pscustomobject]@{ Id = 'r2'; Title = 'Blue' }
            ) | New-SobotListRow
            $rows
            $rows | New-SobotListSection -Title 'Colours'
            """);
        r.NoErrors();
        Assert.Equal(3, r.Output.Count);
        Assert.Equal("Sobot.Client.Models.Requests.ListRow", r.Output[0].BaseObject.GetType().FullName);
        Assert.Equal(("r1", "Red", "The red one"), ((string)r.Output[0].Properties["Id"].Value, (string)r.Output[0].Properties["Title"].Value, (string)r.Output[0].Properties["Description"].Value));
        Assert.Equal(("r2", "Blue", null), ((string)r.Output[1].Properties["Id"].Value, (string)r.Output[1].Properties["Title"].Value, (string?)r.Output[1].Properties["Description"].Value));
        var section = r.Output[2];
        Assert.Equal("Colours", section.Properties["Title"].Value);
        Assert.Equal(new[] { "r1", "r2" }, ((System.Collections.IEnumerable)section.Properties["Rows"].Value).Cast<object>().Select(o => PSObject.AsPSObject(o).Properties["Id"].Value));
    }

    [Fact]
    public void A_webhook_body_binds_by_value_and_by_the_property_names_Body_and_Content()
    {
        const string status = """[{"id":"wamid.S","status":"read","timestamp":"1692947521"}]""";
        var r = _ps.Run("""
            $json | ConvertFrom-SobotWebhook
            [pscustomobject]@{ Body = $json } | ConvertFrom-SobotWebhook
            [pscustomobject]@{ Content = $json } | ConvertFrom-SobotWebhook
            """, new Dictionary<string, object?> { ["json"] = status });
        r.NoErrors();
        Assert.Equal(3, r.Output.Count);
        Assert.All(r.Output, o =>
        {
            Assert.Equal("Sobot.Client.Webhooks.SobotMessageStatus", o.BaseObject.GetType().FullName);
            Assert.Equal("wamid.S", o.Properties["MessageId"].Value);
        });
    }

    [Fact]
    public void A_file_object_binds_its_FullName_to_the_journal_path()
    {
        // The error names the path the cmdlet was given: the piped FullName, bound to -Path.
        var missing = Path.Combine(Path.GetTempPath(), "sobot-inprocess-" + Guid.NewGuid().ToString("N"), "campaign.journal");
        var r = _ps.Run("[pscustomobject]@{ FullName = $f; Length = 0 } | Get-SobotJournal", new Dictionary<string, object?> { ["f"] = missing });
        var e = r.SingleError();
        Assert.Equal("SobotJournalNotFound,SobotPS.Commands.GetSobotJournalCommand", e.FullyQualifiedErrorId);
        Assert.Equal(missing, e.TargetObject);
    }

    [Fact]
    public void Piped_process_ids_bind_to_Stop_SobotReceiver_by_property_name()
    {
        // The test process runs no receiver: each piped id gets its own not-found error naming that id.
        var r = _ps.Run("[pscustomobject]@{ ProcessId = $PID }, [pscustomobject]@{ ProcessId = 1 } | Stop-SobotReceiver");
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.Errors, e => Assert.Equal("SobotReceiverNotFound,SobotPS.Commands.StopSobotReceiverCommand", e.FullyQualifiedErrorId));
        Assert.Equal(new object[] { Environment.ProcessId, 1 }, r.Errors.Select(e => e.TargetObject));
    }

    public static TheoryData<string> DocumentedPipes()
    {
        var data = new TheoryData<string>();
        foreach (var pipe in Pipes().Select(p => p.Text).Distinct()) data.Add(pipe);
        return data;
    }

    /// <summary>Each `A ... | B ...` in the help pages' code where A and B are both SobotPS cmdlets.</summary>
    private static IEnumerable<(string Text, CommandAst From, CommandAst To)> Pipes()
    {
        var docs = Path.Combine(BuiltModule.RepoRoot, "docs", "en-US");
        foreach (var page in Directory.GetFiles(docs, "*.md").OrderBy(f => f, StringComparer.Ordinal))
            foreach (Match fence in Regex.Matches(File.ReadAllText(page), "```powershell\\r?\\n(.*?)```", RegexOptions.Singleline))
            {
                var ast = Parser.ParseInput(fence.Groups[1].Value, out _, out _);
                foreach (PipelineAst pipeline in ast.FindAll(a => a is PipelineAst, true))
                    for (int i = 1; i < pipeline.PipelineElements.Count; i++)
                        if (pipeline.PipelineElements[i - 1] is CommandAst from && pipeline.PipelineElements[i] is CommandAst to
                            && IsSobot(from.GetCommandName()) && IsSobot(to.GetCommandName()))
                            yield return ($"{from.Extent.Text} | {to.Extent.Text}", from, to);
            }
    }

    private static bool IsSobot(string? name) => name != null && Regex.IsMatch(name, "^[A-Z][a-z]+(From)?-Sobot");

    [Fact]
    public void The_help_pages_show_pipes_between_SobotPS_cmdlets()
    {
        // Guards the theory below against finding nothing to check.
        Assert.True(Pipes().Count() >= 8, $"found {Pipes().Count()} pipe(s)");
    }

    [Theory]
    [MemberData(nameof(DocumentedPipes))]
    public void A_documented_pipe_binds_every_mandatory_parameter_the_example_does_not_give(string pipe)
    {
        var (_, fromAst, toAst) = Pipes().First(p => p.Text == pipe);
        var cmdlets = _ps.Cmdlets().ToDictionary(c => c.Name);
        var from = cmdlets[fromAst.GetCommandName()];
        var to = cmdlets[toAst.GetCommandName()];
        var given = StaticParameterBinder.BindCommand(toAst, resolve: true).BoundParameters.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var outputs = FromOutputs(from, StaticParameterBinder.BindCommand(fromAst, resolve: true).BoundParameters.Keys);

        // Some parameter set of the receiving cmdlet has every mandatory parameter given or bound from the output, and
        // something binds from the pipe at all.
        var reasons = new List<string>();
        foreach (var set in to.ParameterSets)
        {
            var fromPipe = set.Parameters.Where(p => outputs.Any(t => Binds(p, t))).Select(p => p.Name).ToList();
            var unbound = set.Parameters.Where(p => p.IsMandatory && !given.Contains(p.Name) && !fromPipe.Contains(p.Name)).Select(p => p.Name).ToList();
            if (fromPipe.Count > 0 && unbound.Count == 0) return;
            reasons.Add($"set {set.Name}: from the pipe [{string.Join(", ", fromPipe)}], mandatory and unbound [{string.Join(", ", unbound)}]");
        }
        Assert.Fail($"{pipe}\n{from.Name} writes {string.Join(", ", outputs.Select(t => t.FullName))}; {to.Name} cannot take it:\n{string.Join("\n", reasons)}");
    }

    /// <summary>The types the producer writes in the parameter set the example uses (all of them when that is unclear).</summary>
    private static List<Type> FromOutputs(CmdletInfo from, IEnumerable<string> givenParameters)
    {
        var given = givenParameters.ToList();
        var sets = from.ParameterSets.Where(s => given.All(g => s.Parameters.Any(p => p.Name.Equals(g, StringComparison.OrdinalIgnoreCase)))).Select(s => s.Name).ToList();
        var types = from.OutputType.Where(t => t.Type != null).Select(t => t.Type).ToList();
        var implementing = from.ImplementingType.GetCustomAttributes(typeof(OutputTypeAttribute), true).Cast<OutputTypeAttribute>()
            .Where(a => a.ParameterSetName.Length == 0 || a.ParameterSetName.Contains("__AllParameterSets") || a.ParameterSetName.Intersect(sets).Any())
            .SelectMany(a => a.Type).Where(t => t.Type != null).Select(t => t.Type).ToList();
        return implementing.Count > 0 ? implementing : types;
    }

    private static bool Binds(CommandParameterInfo p, Type output)
    {
        if (p.ValueFromPipeline && (p.ParameterType.IsAssignableFrom(output) || p.ParameterType == typeof(object) || p.ParameterType == typeof(PSObject)
                                    || (p.ParameterType.IsArray && p.ParameterType.GetElementType()!.IsAssignableFrom(output))))
            // The DontShow InputObject every send and wait keeps as the error target binds anything; it makes nothing mandatory bound.
            return !p.Attributes.OfType<ParameterAttribute>().Any(a => a.DontShow);
        if (!p.ValueFromPipelineByPropertyName) return false;
        var names = new[] { p.Name }.Concat(p.Aliases);
        return output.GetProperties().Any(prop => names.Contains(prop.Name, StringComparer.OrdinalIgnoreCase));
    }
}
