using System;
using System.Diagnostics;
using System.Security;
using Sobot.Client;

namespace SobotPS
{
    /// <summary>Whether a receiver's process runs.</summary>
    public enum SobotReceiverProcessState
    {
        Running,
        Stopped,
    }

    /// <summary>
    /// A webhook receiver: one that Start-SobotReceiver started, or one Get-SobotReceiver found (in this user's
    /// list of started receivers, or in a service's folder). The webhook URL holds the token and the query key is
    /// a secret: both are SecureStrings, shown masked; a person who pastes the URL into the Sobot portal reveals
    /// it on purpose (RevealWebhookUrl(), or ConvertFrom-SecureString -AsPlainText). They are null when the
    /// receiver was given them directly (not from files) and this session did not start it.
    /// </summary>
    public sealed class SobotReceiverProcess
    {
        internal SobotReceiverProcess(ReceiverRecord record, SecureString? webhookUrl, SecureString? queryKey, Process? process)
        {
            Record = record;
            WebhookUrl = webhookUrl;
            QueryKey = queryKey;
            Process = process;
        }

        internal ReceiverRecord Record { get; }

        /// <summary>Where Sobot posts: the ingress URL including the token.</summary>
        public SecureString? WebhookUrl { get; }

        /// <summary>The webhook URL with the token masked to its last four characters, for display.</summary>
        public string WebhookUrlMasked => Record.WebhookUrlMasked;

        /// <summary>The query API the cmdlets call (Connect-Sobot -Receiver).</summary>
        public Uri QueryUrl => Record.QueryUrl;

        public SecureString? QueryKey { get; }

        public int ProcessId => Record.ProcessId;

        /// <summary>The SQLite store file, or for PostgreSQL postgresql://host:port/database (never the user or password).</summary>
        public string StorePath => Record.Store;

        /// <summary>True when it outlives the PowerShell session that started it (-Detach).</summary>
        public bool Detached => Record.Detached;

        /// <summary>When the receiver started (UTC).</summary>
        public DateTimeOffset? StartedAt => Record.StartedAt;

        /// <summary>Where its log goes (a receiver started without -Detach), else null.</summary>
        public string? LogPath => Record.LogPath;

        /// <summary>The process this session started; null for one found by Get-SobotReceiver.</summary>
        internal Process? Process { get; }

        /// <summary>True while its process runs: the same pid and the same process start time, so a pid the system gave to another program since never counts.</summary>
        public bool IsRunning
        {
            get
            {
                try
                {
                    if (Process is { } p) return !p.HasExited;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
                using var found = Record.FindProcess();
                return found != null;
            }
        }

        public SobotReceiverProcessState State => IsRunning ? SobotReceiverProcessState.Running : SobotReceiverProcessState.Stopped;

        /// <summary>The webhook URL in plain text, to paste into the Sobot portal. It holds the token: treat it as a password.</summary>
        public string RevealWebhookUrl() => WebhookUrl is null
            ? throw new InvalidOperationException($"The webhook URL of the receiver on {StorePath} is not known here: its token was given directly, not kept in a file this account can read.")
            : SecureText.Reveal(WebhookUrl);

        public override string ToString() => $"{WebhookUrlMasked} (pid {ProcessId})";
    }
}
