using System;
using System.Collections.Generic;
using System.Linq;
using Sobot.Client.Bulk;

namespace Sobot.Client.Campaigns
{
    /// <summary>
    /// What became of a campaign: a send journal joined with the receiver's statuses and replies. Rates are
    /// shares of the messages Sobot accepted. The funnel counts cumulatively: a read message was delivered.
    /// </summary>
    public sealed class CampaignReport
    {
        private CampaignReport() { }

        public string JournalPath { get; private set; } = string.Empty;
        public DateTimeOffset GeneratedAt { get; private set; }
        public DateTimeOffset? FirstSendAt { get; private set; }
        public DateTimeOffset? LastSendAt { get; private set; }
        /// <summary>Rows of the journal.</summary>
        public long Rows { get; private set; }
        /// <summary>Accepted by Sobot (a message id).</summary>
        public long Submitted { get; private set; }
        /// <summary>Refused before or by Sobot: never sent.</summary>
        public long NotSent { get; private set; }
        /// <summary>Sobot may or may not have taken them (the journal's unknown rows).</summary>
        public long Unknown { get; private set; }
        public long Delivered { get; private set; }
        public long Read { get; private set; }
        /// <summary>WhatsApp reported them failed.</summary>
        public long Failed { get; private set; }
        /// <summary>Accepted, with no status yet.</summary>
        public long Pending { get; private set; }
        public long Replied { get; private set; }
        /// <summary>Numbers of the campaign that asked to stop after their send.</summary>
        public long OptedOut { get; private set; }
        public double DeliveredRate { get; private set; }
        public double ReadRate { get; private set; }
        public double FailedRate { get; private set; }
        public double ReplyRate { get; private set; }
        public IReadOnlyList<CampaignFunnelStep> Funnel { get; private set; } = Array.Empty<CampaignFunnelStep>();
        /// <summary>Delivery failures by WhatsApp's reason, most first.</summary>
        public IReadOnlyList<CampaignFailureReason> FailureReasons { get; private set; } = Array.Empty<CampaignFailureReason>();
        /// <summary>Sends and reads per hour (UTC), in time order.</summary>
        public IReadOnlyList<CampaignHour> Hours { get; private set; } = Array.Empty<CampaignHour>();

        /// <param name="entries">The journal's rows, joined (<see cref="DeliveryJoin"/>).</param>
        /// <param name="optedOutSince">Opted-out numbers and since when; a number counts when it opted out at or after its send.</param>
        public static CampaignReport From(string journalPath, IReadOnlyList<JournalEntry> entries, IReadOnlyDictionary<string, DateTimeOffset>? optedOutSince, DateTimeOffset now)
        {
            var accepted = entries.Where(e => e.State == JournalState.Sent).ToList();
            var r = new CampaignReport
            {
                JournalPath = journalPath,
                GeneratedAt = now,
                Rows = entries.Count,
                Submitted = accepted.Count,
                NotSent = entries.Count(e => e.State == JournalState.Failed),
                Unknown = entries.Count(e => e.State == JournalState.Unknown || e.State == JournalState.Pending),
                Delivered = accepted.Count(e => e.Delivery == DeliveryState.Delivered || e.Delivery == DeliveryState.Read),
                Read = accepted.Count(e => e.Delivery == DeliveryState.Read),
                Failed = accepted.Count(e => e.Delivery == DeliveryState.Failed),
                Pending = accepted.Count(e => e.Delivery is null || e.Delivery == DeliveryState.Submitted || e.Delivery == DeliveryState.Sent),
                Replied = accepted.Count(e => e.Replied == true),
                FirstSendAt = accepted.Count > 0 ? accepted.Min(e => e.Time) : (DateTimeOffset?)null,
                LastSendAt = accepted.Count > 0 ? accepted.Max(e => e.Time) : (DateTimeOffset?)null,
            };
            if (optedOutSince != null)
            {
                // Both sides keyed by the one rule for numbers, however the journal and the receiver wrote them.
                var byKey = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                foreach (var o in optedOutSince) byKey[Validation.PhoneNumberNormalizer.CanonicalKey(o.Key)] = o.Value;
                r.OptedOut = accepted.Where(e => e.CustomerNumber != null).GroupBy(e => Validation.PhoneNumberNormalizer.CanonicalKey(e.CustomerNumber!), StringComparer.Ordinal)
                    .Count(g => byKey.TryGetValue(g.Key, out var since) && since.ToUnixTimeSeconds() >= g.Min(e => e.Time).ToUnixTimeSeconds());
            }
            double of = Math.Max(1, r.Submitted);
            r.DeliveredRate = r.Submitted == 0 ? 0 : r.Delivered / of;
            r.ReadRate = r.Submitted == 0 ? 0 : r.Read / of;
            r.FailedRate = r.Submitted == 0 ? 0 : r.Failed / of;
            r.ReplyRate = r.Submitted == 0 ? 0 : r.Replied / of;
            r.Funnel = new[]
            {
                new CampaignFunnelStep("Submitted", r.Submitted, r.Submitted == 0 ? 0 : 1),
                new CampaignFunnelStep("Delivered", r.Delivered, r.DeliveredRate),
                new CampaignFunnelStep("Read", r.Read, r.ReadRate),
                new CampaignFunnelStep("Replied", r.Replied, r.ReplyRate),
            };
            r.FailureReasons = accepted.Where(e => e.Delivery == DeliveryState.Failed)
                .GroupBy(e => e.FailureReason ?? "no reason given")
                .Select(g => new CampaignFailureReason(g.Key, g.Count()))
                .OrderByDescending(f => f.Count).ThenBy(f => f.Reason, StringComparer.Ordinal).ToList();
            var sends = accepted.GroupBy(e => Hour(e.Time)).ToDictionary(g => g.Key, g => (long)g.Count());
            var reads = accepted.Where(e => e.ReadAt != null).GroupBy(e => Hour(e.ReadAt!.Value)).ToDictionary(g => g.Key, g => (long)g.Count());
            r.Hours = sends.Keys.Union(reads.Keys).OrderBy(h => h)
                .Select(h => new CampaignHour(h, sends.TryGetValue(h, out var s) ? s : 0, reads.TryGetValue(h, out var rd) ? rd : 0)).ToList();
            return r;
        }

        private static DateTimeOffset Hour(DateTimeOffset t)
        {
            var u = t.ToUniversalTime();
            return new DateTimeOffset(u.Year, u.Month, u.Day, u.Hour, 0, 0, TimeSpan.Zero);
        }
    }
}
