using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Sobot.Client.Webhooks
{
    /// <summary>
    /// Reads the webhook receiver's query API answers (docs/receiver.md) into the same typed events
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
                    var message = new SobotInboundMessage(raw)
                    {
                        MessageId = Text(e, "messageId"),
                        From = Text(e, "from"),
                        Name = Text(e, "name"),
                        Timestamp = Time(e, "timestamp"),
                        Type = Text(e, "messageType"),
                        Text = Text(e, "text"),
                        ButtonText = Text(e, "buttonText"),
                        ButtonPayload = Text(e, "buttonPayload"),
                        ReplyToMessageId = Text(e, "replyToMessageId"),
                        ContextFrom = Text(e, "contextFrom"),
                        DisplayPhoneNumber = Text(e, "displayPhoneNumber"),
                        Latitude = Number(e, "latitude"),
                        Longitude = Number(e, "longitude"),
                        LocationName = Text(e, "locationName"),
                        Address = Text(e, "address"),
                    };
                    if (e.TryGetProperty("media", out var media) && media.ValueKind == JsonValueKind.Object)
                        message.Media = new SobotWebhookMedia
                        {
                            Id = Text(media, "id"),
                            MimeType = Text(media, "mimeType"),
                            Sha256 = Text(media, "sha256"),
                            Url = Text(media, "url"),
                            Caption = Text(media, "caption"),
                            Filename = Text(media, "filename"),
                        };
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

        private static SobotMessageStatus ReadStatusFields(JsonElement e, string raw) => new SobotMessageStatus(raw)
        {
            MessageId = Text(e, "messageId"),
            Status = Text(e, "status"),
            Timestamp = Time(e, "timestamp"),
            RecipientId = Text(e, "recipientId"),
            ErrorCode = e.TryGetProperty("errorCode", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out int c) ? c : (int?)null,
            ErrorTitle = Text(e, "errorTitle"),
        };

        private static DateTimeOffset? WhatsAppTime(SobotWebhookEvent e) => e switch
        {
            SobotInboundMessage m => m.Timestamp,
            SobotMessageStatus s => s.Timestamp,
            _ => null,
        };

        /// <summary>A receiver that does not say effectiveAt: the claimed time, but never later than the arrival.</summary>
        private static DateTimeOffset? Earliest(DateTimeOffset? claimed, DateTimeOffset? arrived) =>
            claimed is DateTimeOffset c && arrived is DateTimeOffset a ? (c < a ? c : a) : claimed ?? arrived;

        private static string? Text(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static double? Number(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) ? d : (double?)null;

        private static DateTimeOffset? Time(JsonElement obj, string name) =>
            Text(obj, name) is string text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
                ? t : (DateTimeOffset?)null;
    }
}
