using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace SobotPS.InProcess.Tests;

/// <summary>
/// The module as ./build.ps1 -Task Build staged it (out/SobotPS), found from the test assembly by walking up to the
/// folder that holds SobotPS.sln. A missing build is a failure that says to build first, never a silent skip.
/// </summary>
public static class BuiltModule
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SobotPS.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No SobotPS.sln above {AppContext.BaseDirectory}: the tests find the built module from the repository root.");
    });

    public static string RepoRoot => Root.Value;

    public static string Folder => Path.Combine(RepoRoot, "out", "SobotPS");

    public static string Manifest
    {
        get
        {
            var manifest = Path.Combine(Folder, "SobotPS.psd1");
            if (!File.Exists(manifest))
                throw new InvalidOperationException(
                    $"The built module is missing ({manifest}). Build it first: dotnet pwsh ./build.ps1 -Task Build. These tests host what the build staged, not the projects under src/.");
            return manifest;
        }
    }
}

/// <summary>
/// A fresh runspace with the built module imported, one per test: nothing a test does (a default connection, a
/// variable) reaches another. Scripts run as a user types them; errors, terminating ones included, are collected
/// as the error records a script would see.
/// </summary>
public sealed class ModuleRunspace : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleRunspace(bool importModule = true)
    {
        var state = InitialSessionState.CreateDefault();
        state.ThrowOnRunspaceOpenError = true;
        if (importModule) state.ImportPSModule(BuiltModule.Manifest);
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    public sealed record Result(Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, IReadOnlyList<string> Information)
    {
        public ErrorRecord SingleError()
        {
            Assert.True(Errors.Count == 1, $"Expected one error record, got {Errors.Count}: {string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message))}");
            return Errors[0];
        }

        public void NoErrors() =>
            Assert.True(Errors.Count == 0, "Unexpected error(s): " + string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));
    }

    /// <summary>Runs a script; the named values are variables it can use.</summary>
    public Result Run(string script, IDictionary<string, object?>? variables = null)
    {
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
            _runspace.SessionStateProxy.SetVariable(name, value);
        return Invoke(ps => ps.AddScript(script));
    }

    /// <summary>Runs one script file with named parameters, as `&amp; file -Name value` would.</summary>
    public Result RunFile(string path, IDictionary<string, object?> parameters) =>
        Invoke(ps =>
        {
            ps.AddCommand(path);
            foreach (var (name, value) in parameters) ps.AddParameter(name, value);
        });

    private Result Invoke(Action<PowerShell> add)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        add(ps);
        var errors = new List<ErrorRecord>();
        Collection<PSObject> output;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            // A terminating error (a script's throw, a cmdlet run alone): the record a script's catch would see.
            output = new Collection<PSObject>();
            errors.Add(ex.ErrorRecord);
        }
        errors.InsertRange(0, ps.Streams.Error);
        return new Result(output, errors, ps.Streams.Information.Select(i => i.MessageData?.ToString() ?? string.Empty).ToList());
    }

    /// <summary>The exported cmdlets, as Get-Command sees them in this runspace.</summary>
    public IReadOnlyList<CmdletInfo> Cmdlets() =>
        Run("Get-Command -Module SobotPS -CommandType Cmdlet").Output.Select(o => (CmdletInfo)o.BaseObject).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    public void Dispose() => _runspace.Dispose();
}

/// <summary>
/// One collection: the tests share a process (the module's assemblies load once) and some read or set process-wide
/// environment variables, so they run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ModuleCollection
{
    public const string Name = "Built module";
}
