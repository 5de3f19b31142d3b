using System.Diagnostics;
using Xunit.Abstractions;

namespace Sobot.TestSupport;

/// <summary>
/// Another local user of this machine, for tests that attack as one: a throwaway system user with a random name
/// (useradd, which needs root), acting through <c>runuser -u &lt;name&gt; -- &lt;command&gt;</c>, removed when disposed
/// (and, should a test run end without disposing it, when the process exits). Where it cannot be created (not root,
/// no useradd, Windows) <see cref="Create"/> reports the test skipped with the reason (a [SkippableFact]): the build
/// lists it as not run, never as passed.
/// </summary>
public sealed class SecondUser : IDisposable
{
    private static readonly object Gate = new();
    private static readonly HashSet<string> Alive = [];
    private bool _removed;

    static SecondUser() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        string[] left;
        lock (Gate) left = [.. Alive];
        foreach (var name in left) Remove(name);
    };

    private SecondUser(string name, uint uid)
    {
        Name = name;
        Uid = uid;
    }

    public string Name { get; }
    public uint Uid { get; }

    /// <summary>The user; where none can be made, the test is reported skipped (not run) with the reason, never passed.</summary>
    public static SecondUser Create()
    {
        var user = TryCreate(out string? reason);
        Skip.If(user is null, "NOT RUN: " + reason + "; this attack as a second local user was not tried.");
        return user!;
    }

    /// <summary>The user, or null with the reason it cannot be created here.</summary>
    public static SecondUser? TryCreate(out string? reason)
    {
        reason = null;
        if (OperatingSystem.IsWindows()) { reason = "a second local user is made with useradd, which Windows does not have"; return null; }
        if (Run("id", "-u").Output.Trim() != "0") { reason = "creating a second local user needs root"; return null; }
        string? useradd = new[] { "/usr/sbin/useradd", "/sbin/useradd", "/usr/bin/useradd" }.FirstOrDefault(File.Exists);
        if (useradd is null || !new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser" }.Any(File.Exists))
        {
            reason = "useradd or runuser is not installed";
            return null;
        }
        string name = "sobot-" + Guid.NewGuid().ToString("N")[..10];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            // Serialized here, and retried: useradd refuses while another process holds the password file's lock.
            CommandResult added;
            lock (Gate)
            {
                added = Run(useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name);
                if (added.ExitCode == 0) Alive.Add(name);
            }
            if (added.ExitCode == 0) break;
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"useradd {name} failed ({added.ExitCode}): {added.Error}");
            Thread.Sleep(200);
        }
        return new SecondUser(name, uint.Parse(Run("id", "-u", name).Output.Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Runs a command as this user (no shell: the arguments are passed as they are).</summary>
    public CommandResult As(params string[] command) => Run("runuser", ["-u", Name, "--", .. command]);

    /// <summary>Writes a file as this user (what an attacker plants), created under <paramref name="umask"/>; throws when it cannot.</summary>
    public void Plant(string path, string content, string umask = "077")
    {
        var made = As("sh", "-c", "umask \"$1\" && printf '%s' \"$2\" > \"$3\"", "sh", umask, content, path);
        if (made.ExitCode != 0) throw new InvalidOperationException($"{Name} could not write {path}: {made.Error}");
    }

    /// <summary>
    /// Makes another uid (65534, nobody, unless told) the owner of the file, or of the symbolic link itself: what another
    /// user left there, as root can make it without creating one. Skips the test when not root.
    /// </summary>
    public static void GiveAway(string path, uint uid = 65534)
    {
        Skip.If(OperatingSystem.IsWindows() || Run("id", "-u").Output.Trim() != "0", "NOT RUN: giving a file to another uid needs root.");
        var given = Run("chown", "-h", uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path);
        if (given.ExitCode != 0) throw new InvalidOperationException($"chown {uid} {path} failed: {given.Error}");
    }

    /// <summary>Whether this user can read the file (or list the folder).</summary>
    public bool CanRead(string path) =>
        Directory.Exists(path) ? As("ls", "--", path).ExitCode == 0 : As("head", "-c", "1", "--", path).ExitCode == 0;

    /// <summary>
    /// Lets other users pass through (search, not list) every folder from <paramref name="folder"/> up to the system's
    /// temp folder, so that what a test checks is the mode of the files and folders below, not of the way there.
    /// </summary>
    public static void MakeTraversable(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        string temp = Path.GetFullPath(Path.GetTempPath()).TrimEnd('/');
        for (string? f = Path.GetFullPath(folder).TrimEnd('/'); f != null && f.Length > temp.Length && f.StartsWith(temp + "/", StringComparison.Ordinal); f = Path.GetDirectoryName(f))
            File.SetUnixFileMode(f, File.GetUnixFileMode(f) | UnixFileMode.OtherExecute);
    }

    /// <summary>A folder like /tmp inside <paramref name="parent"/>: everyone may create files in it (1777, sticky), and reach it.</summary>
    public static string NewSharedFolder(string parent)
    {
        string shared = Path.Combine(parent, "shared-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(shared);
        if (OperatingSystem.IsWindows()) return shared;
        File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32("1777", 8));
        MakeTraversable(shared);
        return shared;
    }

    public void Dispose()
    {
        if (_removed) return;
        _removed = true;
        Remove(Name);
    }

    private static void Remove(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            CommandResult deleted;
            lock (Gate)
            {
                if (!Alive.Contains(name)) return;
                deleted = Run("userdel", "--force", name);
                // 6: no such user (already gone).
                if (deleted.ExitCode is 0 or 6) Alive.Remove(name);
            }
            if (deleted.ExitCode is 0 or 6 || DateTime.UtcNow > deadline) return;
            Thread.Sleep(200);
        }
    }

    private static CommandResult Run(string file, params string[] arguments)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not end within 60 s.");
        }
        return new CommandResult(process.ExitCode, output, error.Result);
    }
}

/// <summary>What a command run as another user did.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);
