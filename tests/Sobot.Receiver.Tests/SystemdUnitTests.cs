using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Sobot.Receiver.Tests;

/// <summary>
/// The systemd unit users copy (examples/sobot-receiver.service, shown in docs/receiver.md): the same in both
/// places, a command line the receiver accepts, and locked down as systemd itself rates it.
/// </summary>
public sealed class SystemdUnitTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "systemd");
    private static string Unit => File.ReadAllText(Path.Combine(Folder, "sobot-receiver.service"));

    [Fact]
    public void The_unit_in_the_docs_is_the_file_that_ships()
    {
        string docs = File.ReadAllText(Path.Combine(Folder, "receiver.md"));
        var block = Regex.Match(docs, "```ini\n(# /etc/systemd/system/sobot-receiver.service\n.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "docs/receiver.md shows no sobot-receiver.service block");
        Assert.Equal(Unit, block.Groups[1].Value);
    }

    [Fact]
    public void The_receiver_accepts_the_units_command_line_and_keeps_its_files_in_the_state_folder()
    {
        var arguments = ExecStart();
        Assert.Equal("/usr/bin/dotnet", arguments[0]);
        Assert.EndsWith("Sobot.Receiver.dll", arguments[1], StringComparison.Ordinal);
        var options = ReceiverOptions.Parse(arguments.Skip(2).ToList());

        string state = "/var/lib/" + Setting("StateDirectory") + "/";
        Assert.StartsWith(state, options.StorePath, StringComparison.Ordinal);
        Assert.StartsWith(state, options.TokenFile!, StringComparison.Ordinal);
        Assert.StartsWith(state, options.QueryKeyFile!, StringComparison.Ordinal);
        Assert.Contains(Settings("ReadWritePaths"), p => state.StartsWith(p.TrimEnd('/') + "/", StringComparison.Ordinal));
        Assert.All(options.IngressUrls.Concat(options.QueryUrls), u => Assert.Equal("127.0.0.1", u.Host));
    }

    [Fact]
    public void The_unit_creates_owner_only_files_and_does_not_restart_on_a_command_line_mistake()
    {
        Assert.Equal("0077", Setting("UMask"));
        Assert.Equal("0700", Setting("StateDirectoryMode"));
        Assert.Equal("2", Setting("RestartPreventExitStatus"));
        // Exit code 2 is what the receiver gives for a command-line mistake; anything else is worth a restart.
        var failure = StartFailure.Describe(new ArgumentException("--store needs a value."), commandLine: true);
        Assert.Equal(2, failure.ExitCode);
        Assert.Equal("strict", Setting("ProtectSystem"));
        Assert.Equal("true", Setting("NoNewPrivileges"));
        Assert.Equal(string.Empty, Setting("CapabilityBoundingSet"));
    }

    [SkippableFact]
    public void Systemd_analyze_security_rates_the_unit_OK_or_better()
    {
        string? tool = FindOnPath("systemd-analyze");
        Skip.If(tool is null, "systemd-analyze is not installed here (Debian: apt-get install systemd); the unit's rating was not checked.");
        string folder = Directory.CreateTempSubdirectory("sobot-unit-").FullName;
        try
        {
            string unit = Path.Combine(folder, "sobot-receiver.service");
            File.WriteAllText(unit, Unit);
            var (exit, output) = Run(tool!, "security", "--offline=true", "--no-pager", unit);
            Skip.If(exit != 0 && output.Contains("offline", StringComparison.OrdinalIgnoreCase) && !output.Contains("Overall exposure", StringComparison.Ordinal),
                $"this systemd-analyze cannot rate a unit file offline (systemd 250 or later can): {output.Trim()}");
            var level = Regex.Match(output, @"Overall exposure level for sobot-receiver\.service: (\d+\.\d+)");
            Assert.True(level.Success, $"systemd-analyze printed no exposure level (exit {exit}):\n{output}");
            double exposure = double.Parse(level.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(exposure <= 4.0, $"systemd-analyze rates the unit {exposure} (4.0 or lower is OK):\n{output}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>ExecStart= with its continuation lines joined, split into arguments (the unit quotes none).</summary>
    private static List<string> ExecStart()
    {
        string joined = Regex.Replace(Unit, @"\\\n\s*", " ");
        var line = Regex.Match(joined, @"^ExecStart=(.+)$", RegexOptions.Multiline);
        Assert.True(line.Success, "the unit has no ExecStart=");
        Assert.DoesNotContain("\"", line.Groups[1].Value);
        return line.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static IReadOnlyList<string> Settings(string name) =>
        Regex.Matches(Unit, $@"^{Regex.Escape(name)}=(.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.Trim()).ToList();

    private static string Setting(string name)
    {
        var values = Settings(name);
        Assert.True(values.Count == 1, $"the unit sets {name}= {values.Count} times, not once");
        return values[0];
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);

    private static (int Exit, string Output) Run(string file, params string[] arguments)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
