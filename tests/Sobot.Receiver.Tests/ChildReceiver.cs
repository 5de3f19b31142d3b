using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Sobot.Receiver.Tests;

/// <summary>
/// The built receiver run as a child process (<c>dotnet Sobot.Receiver.dll --handshake ...</c>), for what only a real
/// process shows: the handshake line, SIGTERM, SIGKILL. Only the process this class started is ever signalled.
/// </summary>
public sealed class ChildReceiver : IDisposable
{
    /// <summary>How long a start may take before its handshake line is given up on (a hang, not a speed: generous).</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly StringBuilder _stderr;

    private ChildReceiver(Process process, JsonNode firstLine, StringBuilder stderr)
    {
        _process = process;
        FirstLine = firstLine;
        _stderr = stderr;
    }

    /// <summary>The handshake line: the ready line, or the error line of a failed start.</summary>
    public JsonNode FirstLine { get; }
    public int ProcessId => _process.Id;
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static Task<ChildReceiver> StartAsync(params string[] args) => StartAsync(null, args);

    /// <summary>The test token and query key as a child's environment: a secret never goes on a command line, in tests neither.</summary>
    public static IReadOnlyDictionary<string, string> Secrets { get; } = new Dictionary<string, string>
    {
        [ReceiverOptions.TokenVariable] = Receiver.Token,
        [ReceiverOptions.QueryKeyVariable] = Receiver.QueryKey,
    };

    /// <param name="environment">Variables added to the child's environment (e.g. a connection string kept off the command line).</param>
    public static async Task<ChildReceiver> StartAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Sobot.Receiver.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--handshake");
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        // stderr is drained from the start: a child blocked on a full pipe would never print its handshake.
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync().WaitAsync(StartDeadline);
            if (line == null) throw new InvalidOperationException("The receiver closed stdout without a handshake line: " + stderr);
        }
        catch
        {
            if (!process.HasExited) process.Kill();
            process.Dispose();
            throw;
        }
        return new ChildReceiver(process, JsonNode.Parse(line)!, stderr);
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or an OOM kill.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, what systemd sends on stop: the receiver should finish and exit 0.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
            if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed with {kill.ExitCode}.");
        }
        return _process.WaitForExit(timeout);
    }

    /// <summary>The ready line's field, or a failure naming the line the receiver printed instead and its stderr.</summary>
    public string Ready(string field) =>
        (string?)FirstLine["event"] == "ready" && (string?)FirstLine[field] is string value
            ? value
            : throw new Xunit.Sdk.XunitException($"The receiver did not start: {FirstLine.ToJsonString()} {Stderr}");

    private int _disposed;

    /// <summary>Kills the process if it still runs; a second call does nothing (a test may dispose before it restarts).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
