using System;
using Sobot.Client;
using Sobot.Client.Receiver;

namespace SobotPS
{
    /// <summary>
    /// One authenticated Sobot account. Shows the base URI, the access key masked to its last four
    /// characters, the default region and when it connected; never the secret.
    /// </summary>
    public sealed class SobotConnection
    {
        public const int DefaultThrottleLimit = 64;

        internal SobotConnection(SobotClient client, DateTimeOffset connectedAt, int throttleLimit, SobotReceiverClient? receiver = null)
        {
            Client = client;
            ConnectedAt = connectedAt;
            ThrottleLimit = throttleLimit;
            Receiver = receiver;
        }

        /// <summary>The webhook receiver's query API, when Connect-Sobot was given one.</summary>
        internal SobotReceiverClient? Receiver { get; }

        /// <summary>The webhook receiver's query URI, or null when none is connected.</summary>
        public Uri? ReceiverUri => Receiver?.QueryUri;

        /// <summary>The receiver's query key, masked: only its length shows that one is set.</summary>
        public string? ReceiverKey => Receiver is null ? null : "****";

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
            Receiver?.Dispose();
        }

        public override string ToString() => $"{BaseUri} ({AccessKey})";
    }
}
