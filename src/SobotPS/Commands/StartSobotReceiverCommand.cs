using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text.Json;
using Sobot.Client;

namespace SobotPS.Commands
{
    /// <summary>
    /// Starts the webhook receiver shipped with the module as a background process on this machine, for
    /// trying things and for tests (production runs it as a service: docs/receiver.md). It stops with this
    /// PowerShell session unless -Detach is given.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "SobotReceiver", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = SqliteSet)]
    [OutputType(typeof(SobotReceiverProcess))]
    public sealed class StartSobotReceiverCommand : PromptSafeCmdlet
    {
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
        private const string SqliteSet = "Sqlite";
        private const string PostgresSet = "Postgres";

        /// <summary>The port Sobot posts to (on 127.0.0.1); 0 picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>The port of the query API the cmdlets call (on 127.0.0.1); 0 picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int QueryPort { get; set; }

        /// <summary>The SQLite store file; created when missing. Default: SobotPS/receiver-events.db in the local application data folder.</summary>
        [Parameter(Position = 0, ParameterSetName = SqliteSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>
        /// An Npgsql connection string: the events live in PostgreSQL, and receivers started with the same
        /// connection string, -Token and -QueryKey form one service. It reaches the receiver through its
        /// environment, never its command line.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = PostgresSet)]
        [ValidateNotNull]
        public SecureString? ConnectionString { get; set; }

        /// <summary>The query key (x-receiver-key); with -ConnectionString, give every receiver of the service the same one. Generated when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? QueryKey { get; set; }

        /// <summary>The secret last segment of the webhook URL (at least 22 characters of A-Z a-z 0-9 - _); when omitted, the one kept beside the store (generated on the first start).</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Token { get; set; }

        /// <summary>Keep the receiver running after this PowerShell session ends (stop it with Stop-SobotReceiver or by its process id).</summary>
        [Parameter]
        public SwitchParameter Detach { get; set; }

        protected override void EndProcessing()
        {
            bool postgres = ConnectionString != null;
            string? dataFolder = SobotDataFolder.Path;
            if (!postgres && Path is null && dataFolder is null)
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("This account has no local application data folder (no home folder?) for the default store; give -Path."),
                    SobotErrorIds.ReceiverStartFailed, ErrorCategory.ObjectNotFound, null));
            string store = postgres ? "postgres"
                : Path != null ? GetUnresolvedProviderPathFromPSPath(Path)
                : System.IO.Path.Combine(dataFolder!, "receiver-events.db");
            string dll = System.IO.Path.Combine(MyInvocation.MyCommand.Module?.ModuleBase ?? string.Empty, "receiver", "Sobot.Receiver.dll");
            if (!File.Exists(dll))
                ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"The receiver is not in this module's folder ({dll}); reinstall the module, or build it with build.ps1.", dll),
                    SobotErrorIds.ReceiverStartFailed, ErrorCategory.ObjectNotFound, dll));
            if (!ShouldProcess($"127.0.0.1:{Port} (webhooks), 127.0.0.1:{QueryPort} (queries), store {store}", "Start the webhook receiver")) return;
            // The receiver is a .NET program whichever PowerShell runs this (Windows PowerShell 5.1 included): a dotnet
            // without its runtimes is one clear error with the fix, before anything is created or started. The dotnet
            // that starts it is the one the check accepted: the first candidate that has the runtimes.
            var candidates = ReceiverRuntime.Candidates();
            var choice = ReceiverRuntime.Choose(candidates, ReceiverRuntime.Required(dll), Environment.GetEnvironmentVariable("DOTNET_ROLL_FORWARD"));
            if (choice.Host is not string host)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(choice.Problem), SobotErrorIds.ReceiverRuntimeMissing, ErrorCategory.NotInstalled,
                    candidates.Select(c => c.Path).ToArray()));
                return;
            }
            if (!postgres)
            {
                string folder = System.IO.Path.GetDirectoryName(store)!;
                try
                {
                    // The module's own folder is made 0700 even when an older version left it 0755; a folder the user
                    // named is created 0700 when missing, and refused when other users can write it.
                    if (Path is null) OwnerOnlyFiles.EnsureFolder(folder);
                    else OwnerOnlyFiles.CreateMissingFolder(folder);
                    OwnerOnlyFiles.CheckFolder(folder);
                }
                catch (UnsafePathException ex)
                {
                    ThrowTerminatingError(SobotErrors.FromUnsafePath(ex));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(new ErrorRecord(new IOException($"Cannot create the store's folder {folder}: {ex.Message}", ex),
                        SobotErrorIds.ReceiverStartFailed, ErrorCategory.PermissionDenied, folder));
                }
            }
            // Detached, nobody reads its log; attached, its lines go to a file only this user can read.
            string? log = Detach ? null
                : postgres ? System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sobot-receiver-{Process.GetCurrentProcess().Id}-{Guid.NewGuid():N}.log")
                : store + ".log";
            TextWriter? logWriter = log is null ? null : OpenLog(log);

            var arguments = new System.Collections.Generic.List<string> { dll, "--handshake", "--ingress-urls", $"http://127.0.0.1:{Port}", "--query-urls", $"http://127.0.0.1:{QueryPort}", "--store", store };
            // The secrets live beside the store (owner-only files, created on first start), so a restart on the
            // same store keeps the webhook URL and the query key: Sobot's portal and waiting scripts go on working.
            string? queryKeyFile = !postgres && QueryKey is null ? store + ".query-key" : null;
            string? tokenFile = !postgres && Token is null ? store + ".token" : null;
            if (queryKeyFile != null) arguments.AddRange(new[] { "--query-key-file", queryKeyFile });
            if (tokenFile != null) arguments.AddRange(new[] { "--token-file", tokenFile });
            // Detached, nobody reads its log; attached, it ends with this session (crash included).
            arguments.AddRange(Detach ? new[] { "--log-level", "none" } : new[] { "--exit-with-pid", Process.GetCurrentProcess().Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            var psi = new ProcessStartInfo(host, string.Join(" ", arguments.ConvertAll(Quote))) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            // The token goes through the environment, never the command line (which every user of the machine can see).
            if (Token != null) psi.Environment["SOBOT_RECEIVER_TOKEN"] = SecureText.Reveal(Token);
            if (QueryKey != null) psi.Environment["SOBOT_RECEIVER_KEY"] = SecureText.Reveal(QueryKey);
            if (ConnectionString != null) psi.Environment["SOBOT_RECEIVER_CONNECTION_STRING"] = SecureText.Reveal(ConnectionString);

            Process process;
            try
            {
                process = Process.Start(psi) ?? throw new InvalidOperationException("The process did not start.");
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException)
            {
                logWriter?.Dispose();
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"Could not start the receiver with '{psi.FileName}': {ex.Message}. It needs the .NET 10 runtime.", ex),
                    SobotErrorIds.ReceiverStartFailed, ErrorCategory.ResourceUnavailable, dll));
                return;
            }
            if (logWriter != null)
            {
                var writer = logWriter;
                process.ErrorDataReceived += (_, e) => { if (e.Data != null) { try { writer.WriteLine(e.Data); } catch (ObjectDisposedException) { } } };
                process.Exited += (_, _) => writer.Dispose();
                process.EnableRaisingEvents = true;
                process.BeginErrorReadLine();
            }
            else
            {
                // Detached, it must hold none of this process's standard streams: a cron job piped to mail, or an ssh
                // session, would otherwise wait for the receiver to end. What it writes there meanwhile is dropped.
                process.ErrorDataReceived += (_, _) => { };
                process.BeginErrorReadLine();
            }
            process.StandardInput.Close();

            var line = process.StandardOutput.ReadLineAsync();
            bool timedOut = !line.Wait(StartTimeout);
            if (timedOut || line.Result is null)
            {
                if (timedOut) { try { process.Kill(); } catch (InvalidOperationException) { } }
                string why = timedOut ? $"did not report ready within {StartTimeout.TotalSeconds} s"
                    : $"exited{(process.WaitForExit(5000) ? $" with code {process.ExitCode}" : string.Empty)} before it was ready{(log is null ? string.Empty : $"; its log is {log}")}";
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"The receiver {why}."),
                    SobotErrorIds.ReceiverStartFailed, timedOut ? ErrorCategory.OperationTimeout : ErrorCategory.ResourceUnavailable, store));
            }
            using var handshake = JsonDocument.Parse(line.Result!);
            var root = handshake.RootElement;
            if (root.GetProperty("event").GetString() != "ready")
            {
                // The receiver's one line names the path or port; its reason says what kind of failure it is.
                string message = root.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : line.Result!;
                string reason = root.TryGetProperty("reason", out var r) ? r.GetString() ?? string.Empty : string.Empty;
                process.WaitForExit(5000);
                // A file or folder the receiver refused (a token file another user could read or wrote, a symbolic link
                // beside the store): the same error as the module's own refusals, naming that path.
                if (reason == "unsafePath" && root.TryGetProperty("path", out var refused) && refused.GetString() is string refusedPath)
                    ThrowTerminatingError(SobotErrors.FromUnsafePath(UnsafePathException.Reported(refusedPath, message,
                        root.TryGetProperty("fix", out var fix) ? fix.GetString() ?? string.Empty : string.Empty)));
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), SobotErrorIds.ReceiverStartFailed, CategoryOf(reason), store));
            }
            string webhookUrl = root.GetProperty("webhookUrl").GetString()!;
            string token = root.GetProperty("token").GetString()!;
            var record = new ReceiverRecord
            {
                ProcessId = root.GetProperty("pid").GetInt32(),
                ProcessStartedAt = StartTimeOf(process),
                StartedAt = DateTimeOffset.UtcNow,
                Store = root.GetProperty("store").GetString()!,
                QueryUrl = new Uri(root.GetProperty("queryUrl").GetString()!),
                WebhookUrlMasked = webhookUrl.Replace(token, Sobot.Client.SobotCredential.Mask(token)),
                TokenFile = tokenFile,
                QueryKeyFile = queryKeyFile,
                Detached = Detach,
                LogPath = log,
            };
            var result = new SobotReceiverProcess(record, SecureText.Secure(webhookUrl), SecureText.Secure(root.GetProperty("queryKey").GetString()!), process);
            try
            {
                ReceiverRegistry.Add(record);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteWarning($"The receiver runs, but Get-SobotReceiver will not list it: {ex.Message}");
            }
            WriteVerbose($"Receiver {result.WebhookUrlMasked} (queries at {result.QueryUrl}), pid {result.ProcessId}, store {result.StorePath}.");
            WriteObject(result);
        }

        /// <summary>
        /// The receiver's log: created 0600, appended to, never through a symbolic link; one an older version left
        /// readable by every user is made 0600 with a warning. A refusal ends the command before anything starts.
        /// </summary>
        private TextWriter OpenLog(string log)
        {
            FileStream stream = null!;
            try
            {
                stream = OwnerOnlyFiles.OpenReadWrite(log, FileShare.ReadWrite, tightened: path =>
                    WriteWarning($"The receiver's log {path} could be read by other users (an older version created it so); it is now readable by you only."));
            }
            catch (UnsafePathException ex)
            {
                ThrowTerminatingError(SobotErrors.FromUnsafePath(ex));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(new IOException($"Cannot open the receiver's log {log}: {ex.Message}", ex),
                    SobotErrorIds.ReceiverStartFailed, ErrorCategory.OpenError, log));
            }
            stream.Seek(0, SeekOrigin.End);
            return TextWriter.Synchronized(new StreamWriter(stream) { AutoFlush = true });
        }

        private static ErrorCategory CategoryOf(string reason)
        {
            switch (reason)
            {
                case "portInUse":
                case "storeLocked": return ErrorCategory.ResourceBusy;
                case "accessDenied": return ErrorCategory.PermissionDenied;
                case "commandLine": return ErrorCategory.InvalidArgument;
                default: return ErrorCategory.ResourceUnavailable;
            }
        }

        private static DateTime? StartTimeOf(Process process)
        {
            try { return process.StartTime.ToUniversalTime(); }
            catch (Exception ex) when (ex is InvalidOperationException || ex is System.ComponentModel.Win32Exception) { return null; }
        }

        /// <summary>One argument for ProcessStartInfo.Arguments: quoted, with quotes and the backslashes before them escaped.</summary>
        private static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"' }) < 0) return argument;
            var sb = new System.Text.StringBuilder("\"");
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\') { backslashes++; continue; }
                if (c == '"') sb.Append('\\', backslashes * 2 + 1).Append('"');
                else sb.Append('\\', backslashes).Append(c);
                backslashes = 0;
            }
            return sb.Append('\\', backslashes * 2).Append('"').ToString();
        }
    }
}
