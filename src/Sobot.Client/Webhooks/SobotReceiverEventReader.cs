using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Sobot.Client.Webhooks
{
    /// <summary>
    /// Reads the webhook receiver's query API answers (docs/receiver.md), by the fields <see cref="ReceiverEventFields"/> declares, into the same typed events
    /// <see cref="SobotWebhookParser"/> makes from a body, with <see cref="SobotWebhookEvent.Seq"/> and
    /// <see cref="SobotWebhookEvent.ReceivedAt"/> set, so a cmdlet hands out one kind of object wherever events came from.
    /// </summary>
    public static class SobotReceiverEventReader
    {
        /// <summary>An answer of <c>GET /v1/events</c>: <c>{"events":[...],"next":N,"head":H}</c> (<c>head</c> only from newer receivers).</summary>
        public static SobotReceiverEventPage ReadPage(string json)
        {
            using (var document = JsonDocument.Parse(json))
            {
                var root = document.RootElement;
                var events = new List<SobotWebhookEvent>();
                foreach (var e in root.GetProperty("events").EnumerateArray()) events.Add(ReadEvent(e));
                long? head = root.TryGetProperty("head", out var h) && h.ValueKind == JsonValueKind.Number ? h.GetInt64() : (long?)null;
                return new SobotReceiverEventPage(events, root.GetProperty("next").GetInt64(), head);
            }
        }

        /// <summary>One element of <c>events</c>.</summary>
        public static SobotWebhookEvent ReadEvent(JsonElement e)
        {
            string raw = Text(e, "raw") ?? string.Empty;
            SobotWebhookEvent result;
            switch (Text(e, "type"))
            {
                case "inbound":
                    var message = new SobotInboundMessage(raw);
                    ReceiverEventFields.Read(e, message);
                    result = message;
                    break;
                case "status":
                    result = ReadStatusFields(e, raw);
                    break;
                default:
                    result = new SobotUnknownWebhookEvent(raw);
                    break;
            }
            result.Seq = e.TryGetProperty("seq", out var seq) && seq.ValueKind == JsonValueKind.Number ? seq.GetInt64() : (long?)null;
            result.ReceivedAt = Time(e, "receivedAt");
            result.EffectiveAt = Time(e, "effectiveAt") ?? Earliest(WhatsAppTime(result), result.ReceivedAt);
            return result;
        }

        /// <summary>
        /// An answer of <c>GET /v1/status/{id}</c> (the latest status of a message). Its <see cref="SobotWebhookEvent.RawJson"/>
        /// is the receiver's record, not a webhook body.
        /// </summary>
        public static SobotMessageStatus ReadStatus(string json)
        {
            using (var document = JsonDocument.Parse(json))
                return ReadStatus(document.RootElement);
        }

        /// <summary>An answer of <c>POST /v1/status/query</c>: <c>{"statuses":[...]}</c>.</summary>
        public static IReadOnlyList<SobotMessageStatus> ReadStatuses(string json)
        {
            using (var document = JsonDocument.Parse(json))
            {
                var statuses = new List<SobotMessageStatus>();
                foreach (var s in document.RootElement.GetProperty("statuses").EnumerateArray()) statuses.Add(ReadStatus(s));
                return statuses;
            }
        }

        private static SobotMessageStatus ReadStatus(JsonElement record)
        {
            var status = ReadStatusFields(record, record.GetRawText());
            status.Seq = record.TryGetProperty("seq", out var seq) && seq.ValueKind == JsonValueKind.Number ? seq.GetInt64() : (long?)null;
            status.SentAt = Time(record, "sentAt");
            status.DeliveredAt = Time(record, "deliveredAt");
            status.ReadAt = Time(record, "readAt");
            status.FailedAt = Time(record, "failedAt");
            return status;
        }

        private static SobotMessageStatus ReadStatusFields(JsonElement e, string raw)
        {
            var status = new SobotMessageStatus(raw);
            ReceiverEventFields.Read(e, status);
            return status;
        }

        private static DateTimeOffset? WhatsAppTime(SobotWebhookEvent e) => e switch
        {
            SobotInboundMessage m => m.Timestamp,
            SobotMessageStatus s => s.Timestamp,
            _ => null,
        };

        /// <summary>A receiver that does not say effectiveAt: the claimed time, but never later than the arrival.</summary>
        private static DateTimeOffset? Earliest(DateTimeOffset? claimed, DateTimeOffset? arrived) =>
            claimed is DateTimeOffset c && arrived is DateTimeOffset a ? (c < a ? c : a) : claimed ?? arrived;

        private static string? Text(JsonElement obj, string name) => ReceiverEventFields.ReadText(obj, name);

        private static DateTimeOffset? Time(JsonElement obj, string name) => ReceiverEventFields.ReadTime(obj, name);
    }
}
