using System;
using System.Diagnostics;
using System.Security;

namespace SobotPS
{
    /// <summary>
    /// A webhook receiver that Start-SobotReceiver started. The webhook URL holds the token and the query key
    /// is a secret: both are SecureStrings, shown masked (a person pastes the URL into the Sobot portal with
    /// ConvertFrom-SecureString -AsPlainText, on purpose).
    /// </summary>
    public sealed class SobotReceiverProcess
    {
        internal SobotReceiverProcess(SecureString webhookUrl, string webhookUrlMasked, Uri queryUrl, SecureString queryKey, int processId, string storePath, bool detached, Process? process)
        {
            WebhookUrl = webhookUrl;
            WebhookUrlMasked = webhookUrlMasked;
            QueryUrl = queryUrl;
            QueryKey = queryKey;
            ProcessId = processId;
            StorePath = storePath;
            Detached = detached;
            Process = process;
        }

        /// <summary>Where Sobot posts: the ingress URL including the token.</summary>
        public SecureString WebhookUrl { get; }

        /// <summary>The webhook URL with the token masked to its last four characters, for display.</summary>
        public string WebhookUrlMasked { get; }

        /// <summary>The query API the cmdlets call (Connect-Sobot -Receiver).</summary>
        public Uri QueryUrl { get; }

        public SecureString QueryKey { get; }

        public int ProcessId { get; }

        /// <summary>The SQLite store file, or for PostgreSQL postgresql://host:port/database (never the user or password).</summary>
        public string StorePath { get; }

        /// <summary>True when it outlives the PowerShell session that started it (-Detach).</summary>
        public bool Detached { get; }

        internal Process? Process { get; }

        /// <summary>True while the process runs.</summary>
        public bool IsRunning
        {
            get
            {
                try { return Process is { } p ? !p.HasExited : !System.Diagnostics.Process.GetProcessById(ProcessId).HasExited; }
                catch (ArgumentException) { return false; }
                catch (InvalidOperationException) { return false; }
            }
        }

        public override string ToString() => $"{WebhookUrlMasked} (pid {ProcessId})";
    }
}
