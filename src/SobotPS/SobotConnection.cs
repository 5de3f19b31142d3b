using System;
using Sobot.Client;
using Sobot.Client.PreSend;
using Sobot.Client.Receiver;

namespace SobotPS
{
    /// <summary>
    /// One authenticated Sobot account. Shows the base URI, the access key masked to its last four
    /// characters, the default region and when it connected; never the secret. With a webhook receiver, also what
    /// was last seen of it (it may be down while Sobot is not: sends go on).
    /// </summary>
    public sealed class SobotConnection
    {
        internal SobotConnection(SobotClient client, DateTimeOffset connectedAt, int? throttleLimit, SobotReceiverClient? receiver = null,
            OptOutCache? optOutCache = null, bool requireOptOutList = false)
        {
            Client = client;
            ConnectedAt = connectedAt;
            ThrottleLimit = throttleLimit;
            Receiver = receiver;
            OptOutCache = optOutCache;
            RequireOptOutList = requireOptOutList;
        }

        /// <summary>Where the last opt-out list read from the receiver is kept, for sends while it is down.</summary>
        internal OptOutCache? OptOutCache { get; }

        /// <summary>Connect-Sobot -RequireOptOutList: sends fail closed when no opt-out list can be had (Send-Sobot* -RequireOptOutList:$false overrides).</summary>
        public bool RequireOptOutList { get; }

        /// <summary>What the last call to the receiver found; None without a receiver.</summary>
        public SobotReceiverState ReceiverState => Receiver is null ? SobotReceiverState.None : _receiverProblem is null ? SobotReceiverState.Available : SobotReceiverState.Unavailable;

        /// <summary>Why the receiver could not be used the last time, or null.</summary>
        public string? ReceiverError => _receiverProblem;

        /// <summary>When the receiver was last called, or null when never.</summary>
        public DateTimeOffset? ReceiverCheckedAt { get; private set; }

        private string? _receiverProblem;

        /// <summary>
        /// Keeps a whole opt-out list just read from the receiver on disk, for sends while it is down. Returns the
        /// disk's failure (nothing kept), or null.
        /// </summary>
        internal Exception? KeepOptOuts(System.Collections.Generic.IEnumerable<ReceiverOptOut> optOuts)
        {
            if (OptOutCache is null || Receiver is null) return null;
            try
            {
                OptOutCache.Save(Receiver.QueryUri, new OptOutList(optOuts, DateTimeOffset.UtcNow, OptOutListSource.Receiver));
                return null;
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                return ex;
            }
        }

        /// <summary>
        /// A number as the receiver keys it: what the user typed, read with this connection's default region, then the
        /// one rule for numbers as keys. A number the phone-number library does not know keeps its digits (a wa_id of a
        /// new range); anything else is a validation error for the customer number.
        /// </summary>
        internal string CustomerKey(string typed) => CustomerKey(Client.PhoneNumbers, typed);

        /// <summary>The same with a given normalizer (no connection yet: no default region).</summary>
        internal static string CustomerKey(Sobot.Client.Validation.PhoneNumberNormalizer normalizer, string typed)
        {
            if (normalizer.TryNormalize(typed, out var digits, out var error))
                return Sobot.Client.Validation.PhoneNumberNormalizer.Canonical(digits) ?? digits!;
            return Sobot.Client.Validation.PhoneNumberNormalizer.Canonical(typed) ?? throw new SobotValidationException("customer_number", error!);
        }

        /// <summary>Records what a call to the receiver found: null when it answered.</summary>
        internal void NoteReceiver(Exception? problem)
        {
            _receiverProblem = problem?.Message;
            ReceiverCheckedAt = DateTimeOffset.Now;
        }

        /// <summary>The webhook receiver's query API, when Connect-Sobot was given one.</summary>
        internal SobotReceiverClient? Receiver { get; }

        /// <summary>The webhook receiver's query URI, or null when none is connected.</summary>
        public Uri? ReceiverUri => Receiver?.QueryUri;

        /// <summary>The receiver's query key, masked: only its length shows that one is set.</summary>
        public string? ReceiverKey => Receiver is null ? null : "****";

        /// <summary>
        /// The hard cap on messages in flight for Send cmdlets that do not set their own; null when the concurrency
        /// follows the pacing and the latency (the default).
        /// </summary>
        public int? ThrottleLimit { get; }

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
