using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Bulk;
using Sobot.Client.Webhooks;

namespace Sobot.Client.Campaigns
{
    /// <summary>
    /// Joins a send journal with what a webhook receiver knows: each accepted row's latest status (statuses
    /// only move forward, whatever order they arrived in) and whether the customer wrote after the send.
    /// One batched query per page of message ids and one per page of numbers, never one request per row.
    /// </summary>
    public sealed class DeliveryJoin
    {
        public const int PageSize = 1000;
        private readonly Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<SobotMessageStatus>>> _statuses;
        private readonly Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyDictionary<string, DateTimeOffset>>>? _lastInbound;

        /// <param name="statuses">The latest status of up to <see cref="PageSize"/> message ids (ids without one left out).</param>
        /// <param name="lastInbound">Each number's latest inbound message time, by its own timestamp (numbers without one left out); null: Replied stays unknown.</param>
        public DeliveryJoin(Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<SobotMessageStatus>>> statuses,
            Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyDictionary<string, DateTimeOffset>>>? lastInbound)
        {
            _statuses = statuses ?? throw new ArgumentNullException(nameof(statuses));
            _lastInbound = lastInbound;
        }

        /// <summary>Sets Delivery, DeliveredAt, ReadAt, FailureReason and Replied on every accepted row.</summary>
        public async Task JoinAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
        {
            var accepted = entries.Where(e => e.State == JournalState.Sent && !string.IsNullOrEmpty(e.MessageId)).ToList();
            for (int start = 0; start < accepted.Count; start += PageSize)
            {
                var page = accepted.GetRange(start, Math.Min(PageSize, accepted.Count - start));
                var found = await _statuses(page.Select(e => e.MessageId!).ToList(), cancellationToken).ConfigureAwait(false);
                var byId = new Dictionary<string, SobotMessageStatus>(StringComparer.Ordinal);
                foreach (var s in found) if (s.MessageId != null) byId[s.MessageId] = s;
                foreach (var entry in page) Apply(entry, byId.TryGetValue(entry.MessageId!, out var status) ? status : null);
            }
            if (_lastInbound is null) return;
            var numbers = accepted.Select(e => e.CustomerNumber).Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).Select(n => n!).ToList();
            var last = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            for (int start = 0; start < numbers.Count; start += PageSize)
            {
                var page = numbers.GetRange(start, Math.Min(PageSize, numbers.Count - start));
                foreach (var pair in await _lastInbound(page, cancellationToken).ConfigureAwait(false)) last[pair.Key] = pair.Value;
            }
            foreach (var entry in accepted)
                // WhatsApp's timestamps are whole seconds: a reply in the second of the send counts.
                entry.Replied = entry.CustomerNumber != null && last.TryGetValue(entry.CustomerNumber, out var at)
                                && at.ToUnixTimeSeconds() >= entry.Time.ToUnixTimeSeconds();
        }

        /// <summary>One row's delivery from its latest status (null: none arrived yet).</summary>
        public static void Apply(JournalEntry entry, SobotMessageStatus? status)
        {
            entry.Delivery = StatusProgression.Rank(status?.Status) switch
            {
                StatusProgression.Sent => DeliveryState.Sent,
                StatusProgression.Delivered => DeliveryState.Delivered,
                StatusProgression.Read => DeliveryState.Read,
                StatusProgression.Failed => DeliveryState.Failed,
                _ => DeliveryState.Submitted,
            };
            if (status is null) return;
            // A read message was delivered, even when WhatsApp skipped the delivered status.
            entry.DeliveredAt = status.DeliveredAt ?? (entry.Delivery == DeliveryState.Read ? status.ReadAt ?? status.Timestamp : entry.Delivery == DeliveryState.Delivered ? status.Timestamp : null);
            entry.ReadAt = status.ReadAt ?? (entry.Delivery == DeliveryState.Read ? status.Timestamp : null);
            if (entry.Delivery == DeliveryState.Failed)
                entry.FailureReason = status.ErrorCode is int code
                    ? (code.ToString(CultureInfo.InvariantCulture) + " " + (status.ErrorTitle ?? string.Empty)).Trim()
                    : status.ErrorTitle ?? "no reason given";
        }
    }
}
