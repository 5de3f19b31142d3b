using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SobotPS
{
    /// <summary>
    /// The dotnet host that runs the webhook receiver, and whether it has the runtimes the receiver needs. The
    /// receiver is a .NET 10 program whichever PowerShell starts it: under Windows PowerShell 5.1 (.NET Framework)
    /// the module runs, but the receiver needs a dotnet with Microsoft.NETCore.App and Microsoft.AspNetCore.App 10.
    /// Without this check a missing or older runtime shows as "the receiver exited with code 150 before it was
    /// ready", with the host's own message only in the log.
    /// </summary>
    internal static class ReceiverRuntime
    {
        private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(30);
        private const string Download = "https://dotnet.microsoft.com/download/dotnet";

        /// <summary>
        /// The dotnet hosts that could run the receiver, in the order they are tried: the one in DOTNET_ROOT, the one
        /// that runs this PowerShell, the one beside the runtime's folder, on Windows %ProgramFiles%\dotnet, then each
        /// dotnet on the PATH (Windows PowerShell 5.1 and a self-contained pwsh land in the last two).
        /// </summary>
        internal static IReadOnlyList<DotnetCandidate> Candidates() => Candidates(Environment.GetEnvironmentVariable("DOTNET_ROOT"),
            Process.GetCurrentProcess().MainModule?.FileName, RuntimeEnvironment.GetRuntimeDirectory(),
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? Environment.GetEnvironmentVariable("ProgramFiles") : null,
            Environment.GetEnvironmentVariable("PATH"));

        /// <summary>
        /// Candidates' rule on given inputs; each file once, in the first place it is found. Only absolute folders are
        /// looked in, and the PATH is searched here, folder by folder, rather than left to the operating system:
        /// Windows would look in the current folder (and this program's) first, where anybody's dotnet.exe could
        /// wait, and the error can then name each file it asked.
        /// </summary>
        internal static IReadOnlyList<DotnetCandidate> Candidates(string? dotnetRoot, string? runningExecutable, string? runtimeDirectory, string? programFiles, string? path)
        {
            string exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
            var found = new List<DotnetCandidate>();
            void Add(string? file, string source)
            {
                if (file != null && !found.Any(c => string.Equals(c.Path, file, RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)))
                    found.Add(new DotnetCandidate(file, source));
            }
            Add(Existing(dotnetRoot, exe), "DOTNET_ROOT");
            if (runningExecutable != null && FullyQualified(runningExecutable) && string.Equals(Path.GetFileName(runningExecutable), exe, StringComparison.OrdinalIgnoreCase)
                && File.Exists(runningExecutable))
                Add(runningExecutable, "the dotnet running this PowerShell");
            if (!string.IsNullOrEmpty(runtimeDirectory)) Add(Existing(Path.Combine(runtimeDirectory!, "..", "..", ".."), exe), "beside this PowerShell's runtime");
            if (!string.IsNullOrEmpty(programFiles)) Add(Existing(Path.Combine(programFiles!, "dotnet"), exe), "Program Files");
            foreach (string folder in (path ?? string.Empty).Split(Path.PathSeparator))
            {
                // An empty entry or a relative one means the current folder: never searched, as above.
                Add(Existing(folder.Trim().Trim('"'), exe), "PATH");
            }
            return found;
        }

        private static string? Existing(string? folder, string exe)
        {
            if (string.IsNullOrEmpty(folder)) return null;
            try
            {
                if (!FullyQualified(folder!)) return null;
                string candidate = Path.GetFullPath(Path.Combine(folder, exe));
                return File.Exists(candidate) ? candidate : null;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException || ex is System.Security.SecurityException)
            {
                return null;
            }
        }

        /// <summary>
        /// A path that names one place whatever the current folder: on Windows "C:\x" or "\\server\x", not "C:x" or
        /// "\x", which lean on the current drive's folder.
        /// </summary>
        private static bool FullyQualified(string path)
        {
            if (!Path.IsPathRooted(path)) return false;
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return true;
            bool IsSeparator(char c) => c == '\\' || c == '/';
            return path.Length >= 2 && IsSeparator(path[0]) && IsSeparator(path[1])
                   || path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && IsSeparator(path[2]);
        }

        /// <summary>
        /// The frameworks the receiver asks for in its runtimeconfig.json, each with the roll-forward that file gives
        /// it (its own, else the file's); .NET 10's two when that file cannot be read.
        /// </summary>
        internal static IReadOnlyList<FrameworkReference> Required(string receiverDll)
        {
            var fallback = new[] { new FrameworkReference("Microsoft.NETCore.App", RuntimeVersion.Parse("10.0.0"), null), new FrameworkReference("Microsoft.AspNetCore.App", RuntimeVersion.Parse("10.0.0"), null) };
            string config = Path.ChangeExtension(receiverDll, ".runtimeconfig.json");
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(config));
                var options = doc.RootElement.GetProperty("runtimeOptions");
                string? fileRollForward = options.TryGetProperty("rollForward", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                var found = new List<FrameworkReference>();
                foreach (var f in options.GetProperty("frameworks").EnumerateArray())
                {
                    string? own = f.TryGetProperty("rollForward", out var fr) && fr.ValueKind == JsonValueKind.String ? fr.GetString() : null;
                    if (f.GetProperty("name").GetString() is string name && RuntimeVersion.TryParse(f.GetProperty("version").GetString(), out var v))
                        found.Add(new FrameworkReference(name, v!, own ?? fileRollForward));
                }
                return found.Count > 0 ? found : fallback;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException)
            {
                return fallback;
            }
        }

        /// <summary>
        /// The first candidate whose runtimes can run the receiver (asked with dotnet --list-runtimes), or, when none
        /// can, one problem that names every dotnet asked, what each has, and the fix. <paramref name="rollForward"/>
        /// is DOTNET_ROLL_FORWARD, which wins over the runtimeconfig.json's setting as it does for the host.
        /// </summary>
        internal static DotnetChoice Choose(IReadOnlyList<DotnetCandidate> candidates, IReadOnlyList<FrameworkReference> required, string? rollForward)
        {
            string Policy(FrameworkReference r) => !string.IsNullOrEmpty(rollForward) ? rollForward! : r.RollForward ?? "Minor";
            int major = required[0].Version.Major;
            string needs = $".NET {major} runtime ({string.Join(" and ", required.Select(r => $"{r.Name} {Wanted(r.Version, Policy(r))}"))})";
            string fix = $"Install the ASP.NET Core Runtime {major}.0 (it includes the .NET Runtime) from {Download}/{major}.0, " +
                         "then start a new PowerShell so that dotnet is on the PATH (or set DOTNET_ROOT to the folder that holds it).";
            if (required.Any(r => Policy(r).Equals("Disable", StringComparison.OrdinalIgnoreCase)))
                fix += " DOTNET_ROLL_FORWARD=Disable asks for exactly those versions: without it, a later patch runs the receiver.";
            if (candidates.Count == 0)
                return new DotnetChoice(null, $"The webhook receiver needs the {needs}, and no dotnet was found (none in DOTNET_ROOT, beside this PowerShell, " +
                                              $"{(RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? @"in %ProgramFiles%\dotnet, " : string.Empty)}or on the PATH). {fix}");
            // The same install is often on several paths (/usr/bin/dotnet and /usr/share/dotnet/dotnet): it is named
            // once, with its other paths, known by the runtime folders it lists.
            var asked = new List<(string Key, string Names, string Has)>();
            foreach (var candidate in candidates)
            {
                var installed = ListRuntimes(candidate.Path, out string? failure);
                string name = $"'{candidate.Path}' ({candidate.Source})";
                if (installed is null)
                {
                    asked.Add((string.Empty, name, failure!));
                    continue;
                }
                if (required.All(r => installed.Any(i => string.Equals(i.Name, r.Name, StringComparison.OrdinalIgnoreCase) && Fits(i.Version, r.Version, Policy(r)))))
                    return new DotnetChoice(candidate.Path, null);
                string key = string.Join("|", installed.Select(i => $"{i.Name} {i.Version} {i.Folder}"));
                int same = key.Length == 0 ? -1 : asked.FindIndex(a => a.Key == key);
                if (same >= 0) asked[same] = (key, $"{asked[same].Names}, {name}", asked[same].Has);
                else asked.Add((key, name, $"has {(installed.Count == 0 ? "no runtime" : string.Join(", ", installed.Select(i => $"{i.Name} {i.Version}")))}"));
            }
            return new DotnetChoice(null, $"The webhook receiver needs the {needs}; no dotnet found has it: {string.Join("; ", asked.Select(a => $"{a.Names} {a.Has}"))}. {fix}");
        }

        /// <summary>What the reference asks for, in words: "10.x" for the default Minor roll-forward.</summary>
        private static string Wanted(RuntimeVersion v, string policy)
        {
            switch (policy.ToUpperInvariant())
            {
                case "DISABLE": return $"{v} exactly";
                case "LATESTPATCH": return $"{v.Major}.{v.Minor}.x ({v} or later)";
                case "MAJOR":
                case "LATESTMAJOR": return $"{v} or later";
                default: return v.Minor == 0 && v.Patch == 0 && v.Prerelease.Length == 0 ? $"{v.Major}.x" : $"{v.Major}.x ({v} or later)";
            }
        }

        /// <summary>
        /// Whether the host would run a reference to <paramref name="wanted"/> on <paramref name="installed"/> under this
        /// roll-forward. Never an older version; by SemVer a pre-release comes before its release, so 10.0.0-rc.2 does
        /// not count for 10.0.0 (the host stops with exit code 150); a later pre-release counts only where the host
        /// would take it for lack of a release.
        /// </summary>
        internal static bool Fits(RuntimeVersion installed, RuntimeVersion wanted, string policy)
        {
            int order = installed.CompareTo(wanted);
            if (order < 0) return false;
            switch (policy.ToUpperInvariant())
            {
                case "DISABLE": return order == 0;
                case "LATESTPATCH": return installed.Major == wanted.Major && installed.Minor == wanted.Minor;
                case "MAJOR":
                case "LATESTMAJOR": return true;
                default: return installed.Major == wanted.Major; // Minor (the default) and LatestMinor
            }
        }

        /// <summary>The runtimes <paramref name="host"/> lists (dotnet --list-runtimes); null, with why, when it could not be asked.</summary>
        private static List<InstalledRuntime>? ListRuntimes(string host, out string? failure)
        {
            failure = null;
            try
            {
                var psi = new ProcessStartInfo(host, "--list-runtimes") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, CreateNoWindow = true };
                using var p = Process.Start(psi) ?? throw new InvalidOperationException("The process did not start.");
                p.StandardInput.Close();
                var stdout = p.StandardOutput.ReadToEndAsync();
                var stderr = p.StandardError.ReadToEndAsync();
                if (!p.WaitForExit((int)ListTimeout.TotalMilliseconds))
                {
                    try { p.Kill(); } catch (InvalidOperationException) { }
                    failure = $"did not answer '--list-runtimes' within {ListTimeout.TotalSeconds} s";
                    return null;
                }
                _ = stderr.Result;
                return Parse(stdout.Result);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException)
            {
                failure = $"could not be run: {ex.Message}";
                return null;
            }
        }

        /// <summary>The lines of dotnet --list-runtimes: "Microsoft.NETCore.App 10.0.1 [/usr/share/dotnet/shared/Microsoft.NETCore.App]".</summary>
        internal static List<InstalledRuntime> Parse(string listRuntimes)
        {
            var found = new List<InstalledRuntime>();
            foreach (Match m in Regex.Matches(listRuntimes, @"^\s*(?<name>[A-Za-z0-9.]+)\s+(?<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\+\S*)?\s+\[(?<folder>[^\]\r\n]*)\]", RegexOptions.Multiline))
            {
                if (RuntimeVersion.TryParse(m.Groups["version"].Value, out var v)) found.Add(new InstalledRuntime(m.Groups["name"].Value, v!, m.Groups["folder"].Value));
            }
            return found;
        }
    }

    /// <summary>One line of dotnet --list-runtimes.</summary>
    internal sealed class InstalledRuntime
    {
        internal InstalledRuntime(string name, RuntimeVersion version, string folder) { Name = name; Version = version; Folder = folder; }
        public string Name { get; }
        public RuntimeVersion Version { get; }
        public string Folder { get; }
    }

    /// <summary>A dotnet host that could run the receiver, and where it was found.</summary>
    internal sealed class DotnetCandidate
    {
        internal DotnetCandidate(string path, string source) { Path = path; Source = source; }
        public string Path { get; }
        public string Source { get; }
        public override string ToString() => Path;
    }

    /// <summary>The dotnet that runs the receiver (the one the check accepted), or why there is none.</summary>
    internal sealed class DotnetChoice
    {
        internal DotnetChoice(string? host, string? problem) { Host = host; Problem = problem; }
        public string? Host { get; }
        public string? Problem { get; }
    }

    /// <summary>A framework the receiver's runtimeconfig.json asks for.</summary>
    internal sealed class FrameworkReference
    {
        internal FrameworkReference(string name, RuntimeVersion version, string? rollForward) { Name = name; Version = version; RollForward = rollForward; }
        public string Name { get; }
        public RuntimeVersion Version { get; }
        /// <summary>The runtimeconfig.json's roll-forward for it; null: the host's default (Minor).</summary>
        public string? RollForward { get; }
    }

    /// <summary>A runtime version as the host compares them (SemVer 2: 10.0.0-rc.2.25502.107 comes before 10.0.0).</summary>
    internal sealed class RuntimeVersion : IComparable<RuntimeVersion>
    {
        private RuntimeVersion(int major, int minor, int patch, string prerelease) { Major = major; Minor = minor; Patch = patch; Prerelease = prerelease; }
        public int Major { get; }
        public int Minor { get; }
        public int Patch { get; }
        /// <summary>What follows the '-' ("rc.2.25502.107"); empty for a release.</summary>
        public string Prerelease { get; }

        internal static RuntimeVersion Parse(string text) => TryParse(text, out var v) ? v! : throw new FormatException($"Not a runtime version: {text}");

        internal static bool TryParse(string? text, out RuntimeVersion? version)
        {
            version = null;
            var m = Regex.Match(text ?? string.Empty, @"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]*)?$");
            if (!m.Success || !int.TryParse(m.Groups[1].Value, out int major) || !int.TryParse(m.Groups[2].Value, out int minor) || !int.TryParse(m.Groups[3].Value, out int patch))
                return false;
            version = new RuntimeVersion(major, minor, patch, m.Groups[4].Value);
            return true;
        }

        public int CompareTo(RuntimeVersion? other)
        {
            if (other is null) return 1;
            int c = Major.CompareTo(other.Major);
            if (c == 0) c = Minor.CompareTo(other.Minor);
            if (c == 0) c = Patch.CompareTo(other.Patch);
            if (c != 0) return c;
            if (Prerelease.Length == 0) return other.Prerelease.Length == 0 ? 0 : 1;
            if (other.Prerelease.Length == 0) return -1;
            string[] a = Prerelease.Split('.'), b = other.Prerelease.Split('.');
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                bool an = ulong.TryParse(a[i], out ulong x), bn = ulong.TryParse(b[i], out ulong y);
                c = an && bn ? x.CompareTo(y) : an ? -1 : bn ? 1 : string.CompareOrdinal(a[i], b[i]);
                if (c != 0) return c;
            }
            return a.Length.CompareTo(b.Length);
        }

        public override string ToString() => Prerelease.Length == 0 ? $"{Major}.{Minor}.{Patch}" : $"{Major}.{Minor}.{Patch}-{Prerelease}";
    }
}
