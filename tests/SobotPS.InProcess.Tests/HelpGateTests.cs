using System.Text.RegularExpressions;

namespace SobotPS.InProcess.Tests;

/// <summary>
/// The build's help gate (build/HelpCompiler.ps1) refuses a page that disagrees with the cmdlet. The build proves it
/// passes on the real pages; these prove it fails on a gap, and that it names the gap (a failure for any other reason
/// would not count). Each runs the compiler on a copy of docs/en-US in a temp folder, in a runspace of its own.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class HelpGateTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "sobot-helpgate-" + Guid.NewGuid().ToString("N"));
    private readonly string _docs;

    public HelpGateTests()
    {
        _docs = Path.Combine(_temp, "docs");
        Directory.CreateDirectory(_docs);
        foreach (var file in Directory.GetFiles(Path.Combine(BuiltModule.RepoRoot, "docs", "en-US")))
            File.Copy(file, Path.Combine(_docs, Path.GetFileName(file)));
    }

    public void Dispose() => Directory.Delete(_temp, true);

    private void Edit(string page, Func<string, string> change)
    {
        var path = Path.Combine(_docs, page);
        var text = File.ReadAllText(path);
        var changed = change(text);
        Assert.NotEqual(text, changed);   // the edit found what it changes
        File.WriteAllText(path, changed);
    }

    /// <summary>Runs the compiler; returns the problems it listed ("help: ..." lines), asserting it failed.</summary>
    private List<string> CompileExpectingFailure()
    {
        using var ps = new ModuleRunspace(importModule: false);
        var r = ps.RunFile(Path.Combine(BuiltModule.RepoRoot, "build", "HelpCompiler.ps1"), new Dictionary<string, object?>
        {
            ["ModuleManifest"] = BuiltModule.Manifest,
            ["DocsPath"] = _docs,
            ["OutPath"] = Path.Combine(_temp, "out"),
        });
        var failure = Assert.Single(r.Errors);
        Assert.Matches("The help pages and the module disagree in [0-9]+ place", failure.Exception.Message);
        Assert.False(Directory.Exists(Path.Combine(_temp, "out")), "a failed gate must write no help");
        return r.Information.Where(l => l.StartsWith("help: ", StringComparison.Ordinal)).Select(l => l.Substring(6)).ToList();
    }

    /// <summary>
    /// Five gaps in five pages, one compiler run (each run reads all 42 pages: one per gap costs five times as much):
    /// the compiler lists every problem it finds, so the run must name exactly these five.
    /// </summary>
    [Fact]
    public void It_fails_and_names_each_gap_a_page_has()
    {
        // A parameter without an entry.
        Edit("Send-SobotTemplate.md", t => Regex.Replace(t, "(?s)### -UrlButtonIndex\r?\n.*?```yaml.*?```\r?\n", ""));
        // A cmdlet without a page.
        File.Delete(Path.Combine(_docs, "Get-SobotJournal.md"));
        // An entry for a parameter the cmdlet does not have.
        Edit("Get-SobotConsumer.md", t => t.Replace("## INPUTS", "### -Colour\nNot a parameter.\n\n```yaml\nType: String\nDefault value: None\n```\n\n## INPUTS"));
        // A pipeline binding that is not what the cmdlet declares.
        Edit("Get-SobotReceiver.md", t => new Regex("(### -Path\r?\n(?:.*\r?\n)*?Accept pipeline input: )True \\(ByPropertyName\\)").Replace(t, "${1}False", 1));
        // No example with a pipeline.
        Edit("New-SobotListRow.md", t => Regex.Replace(t, "(?s)(## EXAMPLES.*?)(## PARAMETERS)", m => m.Groups[1].Value.Replace("|", "") + m.Groups[2].Value));

        var problems = CompileExpectingFailure();
        Assert.Equal(5, problems.Count);
        Assert.Contains("Send-SobotTemplate: parameter -UrlButtonIndex has no entry.", problems);
        Assert.Contains(problems, p => p.StartsWith("Get-SobotJournal: no help page at ", StringComparison.Ordinal));
        Assert.Contains("Get-SobotConsumer: the page documents -Colour, which the cmdlet does not have.", problems);
        Assert.Contains("Get-SobotReceiver: -Path says 'Accept pipeline input: False' but the cmdlet declares 'True (ByPropertyName)'.", problems);
        Assert.Contains("New-SobotListRow: no example shows a pipeline.", problems);
    }
}
