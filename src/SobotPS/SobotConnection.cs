using System;
using Sobot.Client;

namespace SobotPS
{
    /// <summary>
    /// One authenticated Sobot account. Shows the base URI, the access key masked to its last four
    /// characters, the default region and when it connected; never the secret.
    /// </summary>
    public sealed class SobotConnection
    {
        internal SobotConnection(SobotClient client, DateTimeOffset connectedAt)
        {
            Client = client;
            ConnectedAt = connectedAt;
        }

        internal SobotClient Client { get; }

        public Uri BaseUri => Client.BaseUri;

        /// <summary>The access key shortened to its last four characters.</summary>
        public string AccessKey => Client.Options.Credential.MaskedAccessKey;

        public string? DefaultRegion => Client.PhoneNumbers.DefaultRegion;

        public DateTimeOffset ConnectedAt { get; }

        public bool IsOpen { get; private set; } = true;

        /// <summary>True when Connect-Sobot -PassThru handed it to the user, who may still use it.</summary>
        internal bool KeptByUser { get; set; }

        internal void Close()
        {
            if (!IsOpen) return;
            IsOpen = false;
            Client.Dispose();
        }

        public override string ToString() => $"{BaseUri} ({AccessKey})";
    }
}
