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
        public const int DefaultThrottleLimit = 64;

        internal SobotConnection(SobotClient client, DateTimeOffset connectedAt, int throttleLimit)
        {
            Client = client;
            ConnectedAt = connectedAt;
            ThrottleLimit = throttleLimit;
        }

        /// <summary>Messages in flight at once for Send cmdlets that do not say otherwise.</summary>
        public int ThrottleLimit { get; }

        /// <summary>The hard cap in messages per second, or null when the pacing finds the limit itself.</summary>
        public double? MaxMessagesPerSecond => Client.Pacer.Cap;

        public int MaximumRetryCount => Client.Options.MaximumRetryCount;

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
