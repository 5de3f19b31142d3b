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
        /// The dotnet host: the one in DOTNET_ROOT when set (the documented way to name a .NET install), else the one
        /// that runs this PowerShell, else the one beside the runtime's folder, else the first dotnet on the PATH
        /// (Windows PowerShell 5.1 and a self-contained pwsh land here); null when there is none.
        /// </summary>
        internal static string? Host() => Find(Environment.GetEnvironmentVariable("DOTNET_ROOT"), Process.GetCurrentProcess().MainModule?.FileName,
            RuntimeEnvironment.GetRuntimeDirectory(), Environment.GetEnvironmentVariable("PATH"));

        /// <summary>
        /// Host's rule on given inputs. The PATH is searched here, folder by folder, rather than left to the operating
        /// system: Windows would look in the current folder (and this program's) first, where anybody's dotnet.exe
        /// could wait, and the error can then name the file it asked.
        /// </summary>
        internal static string? Find(string? dotnetRoot, string? runningExecutable, string? runtimeDirectory, string? path)
        {
            string exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
            if (!string.IsNullOrEmpty(dotnetRoot) && Existing(dotnetRoot!, exe) is string fromRoot) return fromRoot;
            if (runningExecutable != null && string.Equals(Path.GetFileName(runningExecutable), exe, StringComparison.OrdinalIgnoreCase)) return runningExecutable;
            if (!string.IsNullOrEmpty(runtimeDirectory) && Existing(Path.Combine(runtimeDirectory!, "..", "..", ".."), exe) is string beside) return beside;
            foreach (string folder in (path ?? string.Empty).Split(Path.PathSeparator))
            {
                string trimmed = folder.Trim().Trim('"');
                // An empty entry or a relative one means the current folder: never searched, as above.
                if (trimmed.Length == 0 || !Path.IsPathRooted(trimmed)) continue;
                if (Existing(trimmed, exe) is string onPath) return onPath;
            }
            return null;
        }

        private static string? Existing(string folder, string exe)
        {
            try
            {
                string candidate = Path.GetFullPath(Path.Combine(folder, exe));
                return File.Exists(candidate) ? candidate : null;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException || ex is System.Security.SecurityException)
            {
                return null;
            }
        }

        /// <summary>The frameworks the receiver asks for in its runtimeconfig.json (name, version); .NET 10's two when that file cannot be read.</summary>
        internal static IReadOnlyList<KeyValuePair<string, Version>> Required(string receiverDll)
        {
            var fallback = new[] { new KeyValuePair<string, Version>("Microsoft.NETCore.App", new Version(10, 0, 0)), new KeyValuePair<string, Version>("Microsoft.AspNetCore.App", new Version(10, 0, 0)) };
            string config = Path.ChangeExtension(receiverDll, ".runtimeconfig.json");
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(config));
                var found = new List<KeyValuePair<string, Version>>();
                foreach (var f in doc.RootElement.GetProperty("runtimeOptions").GetProperty("frameworks").EnumerateArray())
                {
                    if (f.GetProperty("name").GetString() is string name && Version.TryParse(f.GetProperty("version").GetString(), out var v))
                        found.Add(new KeyValuePair<string, Version>(name, v));
                }
                return found.Count > 0 ? found : fallback;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException)
            {
                return fallback;
            }
        }

        /// <summary>
        /// Why <paramref name="host"/> cannot run the receiver (missing, or without the runtimes it needs), with the
        /// fix; null when it can. Asks the host itself: dotnet --list-runtimes.
        /// </summary>
        internal static string? Problem(string? host, IReadOnlyList<KeyValuePair<string, Version>> required)
        {
            string needs = $".NET {required[0].Value.Major} runtime ({string.Join(" and ", required.Select(r => $"{r.Key} {r.Value.Major}.x"))})";
            string fix = $"Install the ASP.NET Core Runtime {required[0].Value.Major}.0 (it includes the .NET Runtime) from {Download}/{required[0].Value.Major}.0, " +
                         "then start a new PowerShell so that dotnet is on the PATH (or set DOTNET_ROOT to the folder that holds it).";
            if (host is null)
                return $"The webhook receiver needs the {needs}, and no dotnet was found (none in DOTNET_ROOT, none on the PATH). {fix}";
            string output;
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
                    return $"The webhook receiver needs the {needs}, and '{host} --list-runtimes' did not answer within {ListTimeout.TotalSeconds} s.";
                }
                output = stdout.Result;
                _ = stderr.Result;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException)
            {
                return $"The webhook receiver needs the {needs}, and '{host}' could not be run: {ex.Message}. {fix}";
            }

            bool anyMajor = Environment.GetEnvironmentVariable("DOTNET_ROLL_FORWARD") is string rf
                            && (rf.Equals("Major", StringComparison.OrdinalIgnoreCase) || rf.Equals("LatestMajor", StringComparison.OrdinalIgnoreCase));
            var installed = Parse(output);
            var missing = required.Where(r => !installed.Any(i => string.Equals(i.Key, r.Key, StringComparison.OrdinalIgnoreCase)
                                                                  && i.Value >= r.Value && (anyMajor || i.Value.Major == r.Value.Major))).ToList();
            if (missing.Count == 0) return null;
            string has = installed.Count == 0 ? "no runtime" : string.Join(", ", installed.Select(i => $"{i.Key} {i.Value}"));
            return $"The webhook receiver needs the {needs}; '{host}' has {has}. {fix}";
        }

        /// <summary>The lines of dotnet --list-runtimes: "Microsoft.NETCore.App 10.0.1 [/usr/share/dotnet/shared/Microsoft.NETCore.App]".</summary>
        internal static List<KeyValuePair<string, Version>> Parse(string listRuntimes)
        {
            var found = new List<KeyValuePair<string, Version>>();
            foreach (Match m in Regex.Matches(listRuntimes, @"^\s*(?<name>[A-Za-z0-9.]+)\s+(?<version>\d+\.\d+\.\d+)\S*\s+\[", RegexOptions.Multiline))
            {
                found.Add(new KeyValuePair<string, Version>(m.Groups["name"].Value, Version.Parse(m.Groups["version"].Value)));
            }
            return found;
        }
    }
}
