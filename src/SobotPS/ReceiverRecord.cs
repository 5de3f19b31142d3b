using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Security;
using System.Text.Json;
using Sobot.Client;

namespace SobotPS
{
    /// <summary>
    /// What is known about a receiver without holding its process, in one JSON shape with two homes: this user's
    /// list of started receivers (<see cref="ReceiverRegistry"/>, written by Start-SobotReceiver) and the file a
    /// receiver keeps beside its SQLite store (&lt;store&gt;.receiver.json, written by the receiver). Never a secret:
    /// the webhook URL is masked, and the token and the query key are named by the files that hold them.
    /// </summary>
    internal sealed class ReceiverRecord
    {
        public int ProcessId { get; set; }
        /// <summary>The process's start time (UTC): with the pid, what tells this receiver from a program that got its pid later.</summary>
        public DateTime? ProcessStartedAt { get; set; }
        public DateTimeOffset? StartedAt { get; set; }
        public string Store { get; set; } = string.Empty;
        public Uri QueryUrl { get; set; } = new Uri("http://127.0.0.1/");
        public string WebhookUrlMasked { get; set; } = string.Empty;
        public string? TokenFile { get; set; }
        public string? QueryKeyFile { get; set; }
        public bool Detached { get; set; }
        public string? LogPath { get; set; }

        /// <summary>
        /// Reads a record file. It says where to send the query key, so it is read as
        /// <see cref="OwnerOnlyFiles.ReadOwned"/> reads: one another user owns or can write, a symbolic link or a FIFO is
        /// refused with an <see cref="UnsafePathException"/>.
        /// </summary>
        public static ReceiverRecord Read(string path)
        {
            using var document = JsonDocument.Parse(OwnerOnlyFiles.ReadOwned(path));
            var root = document.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            DateTimeOffset? Time(string name) =>
                Text(name) is string t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : (DateTimeOffset?)null;
            bool exitsWithSession = root.TryGetProperty("exitWithPid", out var parent) && parent.ValueKind == JsonValueKind.Number;
            return new ReceiverRecord
            {
                ProcessId = root.GetProperty("pid").GetInt32(),
                ProcessStartedAt = Time("processStartedAt")?.UtcDateTime,
                StartedAt = Time("startedAt"),
                Store = Text("store") ?? string.Empty,
                QueryUrl = new Uri(Text("queryUrl") ?? throw new InvalidDataException($"{path} names no queryUrl.")),
                WebhookUrlMasked = Text("webhookUrlMasked") ?? string.Empty,
                TokenFile = Text("tokenFile"),
                QueryKeyFile = Text("queryKeyFile"),
                // The registry says it; the receiver's own file says whether it watches a session's process.
                Detached = root.TryGetProperty("detached", out var detached) ? detached.ValueKind == JsonValueKind.True : !exitsWithSession,
                LogPath = Text("logPath"),
            };
        }

        public void Write(Stream stream)
        {
            using var json = new Utf8JsonWriter(stream);
            json.WriteStartObject();
            json.WriteNumber("version", 1);
            json.WriteNumber("pid", ProcessId);
            if (ProcessStartedAt is DateTime started) json.WriteString("processStartedAt", started.ToString("O", CultureInfo.InvariantCulture));
            if (StartedAt is DateTimeOffset at) json.WriteString("startedAt", at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("store", Store);
            json.WriteString("queryUrl", QueryUrl.AbsoluteUri.TrimEnd('/'));
            json.WriteString("webhookUrlMasked", WebhookUrlMasked);
            json.WriteString("tokenFile", TokenFile);
            json.WriteString("queryKeyFile", QueryKeyFile);
            json.WriteBoolean("detached", Detached);
            json.WriteString("logPath", LogPath);
            json.WriteEndObject();
        }

        /// <summary>
        /// This receiver's process while it runs: the pid, and the same start time (two seconds either way, as the
        /// system computes it). Without a start time to compare, or where the system will not tell it (another
        /// account's process on Windows), the process must at least be a receiver's by name. Null otherwise.
        /// </summary>
        public Process? FindProcess()
        {
            Process process;
            try
            {
                process = Process.GetProcessById(ProcessId);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException)
            {
                return null;
            }
            bool same;
            try
            {
                same = !process.HasExited && (ProcessStartedAt is DateTime expected
                    ? Math.Abs((process.StartTime.ToUniversalTime() - expected).TotalSeconds) <= 2
                    : IsReceiverName(process.ProcessName));
            }
            catch (Win32Exception)
            {
                same = IsReceiverName(process.ProcessName);
            }
            catch (InvalidOperationException)
            {
                same = false;
            }
            if (same) return process;
            process.Dispose();
            return null;
        }

        private static bool IsReceiverName(string name) =>
            string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "Sobot.Receiver", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// The webhook URL and the query key from the files that hold them, as SecureStrings, or null for each that
        /// is not in a file or cannot be read (<paramref name="problem"/> says why). A token file whose token is not
        /// the one the receiver started with (its last four characters differ) is not used: the URL would be wrong.
        /// </summary>
        public (SecureString? WebhookUrl, SecureString? QueryKey) ReadSecrets(out string? problem)
        {
            problem = null;
            SecureString? url = null, key = null;
            if (TokenFile != null && ReadSecret(TokenFile, "token", ref problem) is string token)
            {
                string mask = SobotCredential.Mask(token);
                if (WebhookUrlMasked.EndsWith("/" + mask, StringComparison.Ordinal))
                    url = SecureText.Secure(WebhookUrlMasked.Substring(0, WebhookUrlMasked.Length - mask.Length) + token);
                else
                    problem = $"The token file {TokenFile} holds another token than the receiver started with; restart the receiver to use it.";
            }
            if (QueryKeyFile != null && ReadSecret(QueryKeyFile, "query key", ref problem) is string queryKey)
                key = SecureText.Secure(queryKey);
            return (url, key);
        }

        private static string? ReadSecret(string path, string what, ref string? problem)
        {
            try
            {
                // A secret file another user could read or wrote is not used (OwnerOnlyFiles.ReadSecret says why and the fix).
                return OwnerOnlyFiles.ReadSecret(path).Trim();
            }
            catch (UnsafePathException ex)
            {
                problem = ex.Message;
                return null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                problem = ex is UnauthorizedAccessException
                    ? $"This account cannot read the {what} file {path}; run as the receiver's account to reveal the webhook URL and the query key."
                    : $"The {what} file {path} cannot be read: {ex.Message}";
                return null;
            }
        }
    }
}
