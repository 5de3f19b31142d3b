using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Sobot.Client.Webhooks
{
    /// <summary>
    /// Reads webhook bodies: inbound messages (an array of <c>{"field":"messages","value":{...}}</c>) and
    /// status updates (<c>{"id","status","timestamp"}</c>, alone or in an array). Any valid JSON yields
    /// events and never an exception: what it does not recognise comes back as <see cref="SobotUnknownWebhookEvent"/>.
    /// </summary>
    public static class SobotWebhookParser
    {
        private static readonly string[] MediaTypes = { "image", "video", "audio", "document", "sticker", "voice" };

        /// <summary>Throws <see cref="FormatException"/> only when <paramref name="json"/> is not JSON at all.</summary>
        public static IReadOnlyList<SobotWebhookEvent> Parse(string json)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json ?? string.Empty, new JsonDocumentOptions { MaxDepth = 256 });
            }
            catch (JsonException ex)
            {
                throw new FormatException("The webhook body is not valid JSON: " + ex.Message, ex);
            }
            using (document)
            {
                var events = new List<SobotWebhookEvent>();
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                    foreach (var item in root.EnumerateArray()) Read(item, events);
                else
                    Read(root, events);
                return events;
            }
        }

        private static void Read(JsonElement item, List<SobotWebhookEvent> events)
        {
            try
            {
                if (item.ValueKind == JsonValueKind.Object && TryReadEntry(item, events)) return;
                if (item.ValueKind == JsonValueKind.Object && IsStatus(item))
                {
                    events.Add(ReadStatus(item));
                    return;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is FormatException || ex is OverflowException || ex is ArgumentException)
            {
                // Fall through: an odd value inside a known shape still comes back, as raw JSON.
            }
            events.Add(new SobotUnknownWebhookEvent(item.GetRawText()));
        }

        private static bool IsStatus(JsonElement item) =>
            item.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String &&
            item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String;

        private static SobotMessageStatus ReadStatus(JsonElement item)
        {
            var status = new SobotMessageStatus(item.GetRawText())
            {
                MessageId = Text(item, "id"),
                Status = Text(item, "status"),
                Timestamp = UnixTime(item, "timestamp"),
                RecipientId = Text(item, "recipient_id"),
            };
            // WhatsApp's failed status says why in errors[0]; later entries only repeat or refine it.
            if (item.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                foreach (var error in errors.EnumerateArray())
                {
                    if (error.ValueKind != JsonValueKind.Object) break;
                    status.ErrorCode = Integer(error, "code");
                    status.ErrorTitle = Text(error, "title");
                    break;
                }
            return status;
        }

        /// <summary>One <c>{"field":"messages","value":{...}}</c> entry: its messages, and any statuses it carries.</summary>
        private static bool TryReadEntry(JsonElement item, List<SobotWebhookEvent> events)
        {
            if (!item.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object) return false;
            bool found = false;
            string? display = value.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? Text(metadata, "display_phone_number") : null;
            var names = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (value.TryGetProperty("contacts", out var contacts) && contacts.ValueKind == JsonValueKind.Array)
                foreach (var c in contacts.EnumerateArray())
                    if (c.ValueKind == JsonValueKind.Object && Text(c, "wa_id") is string waId)
                        names[waId] = c.TryGetProperty("profile", out var profile) && profile.ValueKind == JsonValueKind.Object ? Text(profile, "name") : null;

            if (value.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
            {
                foreach (var m in messages.EnumerateArray())
                {
                    found = true;
                    if (m.ValueKind != JsonValueKind.Object)
                    {
                        events.Add(new SobotUnknownWebhookEvent(m.GetRawText()));
                        continue;
                    }
                    var message = ReadMessage(m);
                    message.DisplayPhoneNumber = display;
                    if (message.From != null && names.TryGetValue(message.From, out var name)) message.Name = name;
                    else if (names.Count == 1) foreach (var n in names.Values) message.Name = n;
                    events.Add(message);
                }
            }
            if (value.TryGetProperty("statuses", out var statuses) && statuses.ValueKind == JsonValueKind.Array)
            {
                foreach (var s in statuses.EnumerateArray())
                {
                    found = true;
                    events.Add(s.ValueKind == JsonValueKind.Object && IsStatus(s) ? ReadStatus(s) : new SobotUnknownWebhookEvent(s.GetRawText()));
                }
            }
            return found;
        }

        private static SobotInboundMessage ReadMessage(JsonElement m)
        {
            var message = new SobotInboundMessage(m.GetRawText())
            {
                From = Text(m, "from"),
                MessageId = Text(m, "id"),
                Timestamp = UnixTime(m, "timestamp"),
                Type = Text(m, "type"),
            };
            string type = message.Type ?? string.Empty;

            // A reply (swipe-to-reply or a button under a message) names the message it answers.
            if (m.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object)
            {
                message.ReplyToMessageId = Text(context, "id");
                message.ContextFrom = Text(context, "from");
            }

            if (m.TryGetProperty("text", out var text))
                message.Text = text.ValueKind == JsonValueKind.Object ? Text(text, "body") : text.ValueKind == JsonValueKind.String ? text.GetString() : null;

            // The documented video example puts the media object under "image": look under the type's own key first, then any media key.
            JsonElement media = default;
            bool hasMedia = Array.IndexOf(MediaTypes, type) >= 0 && m.TryGetProperty(type, out media) && media.ValueKind == JsonValueKind.Object;
            if (!hasMedia && Array.IndexOf(MediaTypes, type) >= 0)
                foreach (var key in MediaTypes)
                    if (m.TryGetProperty(key, out media) && media.ValueKind == JsonValueKind.Object) { hasMedia = true; break; }
            if (hasMedia)
            {
                message.Media = new SobotWebhookMedia
                {
                    Id = Text(media, "id"),
                    MimeType = Text(media, "mime_type"),
                    Sha256 = Text(media, "sha256"),
                    Url = Text(media, "url") ?? Text(media, "link"),
                    Caption = Text(media, "caption"),
                    Filename = Text(media, "filename"),
                };
                message.Text ??= message.Media.Caption;
            }

            if (m.TryGetProperty("button", out var button) && button.ValueKind == JsonValueKind.Object)
            {
                message.ButtonText = Text(button, "text");
                message.ButtonPayload = Text(button, "payload");
            }
            if (m.TryGetProperty("interactive", out var interactive) && interactive.ValueKind == JsonValueKind.Object)
            {
                foreach (var key in new[] { "button_reply", "list_reply" })
                    if (interactive.TryGetProperty(key, out var reply) && reply.ValueKind == JsonValueKind.Object)
                    {
                        message.ButtonText = Text(reply, "title");
                        message.ButtonPayload = Text(reply, "id");
                    }
            }
            if (m.TryGetProperty("location", out var location) && location.ValueKind == JsonValueKind.Object)
            {
                message.Latitude = Number(location, "latitude");
                message.Longitude = Number(location, "longitude");
                message.LocationName = Text(location, "name");
                message.Address = Text(location, "address");
            }
            return message;
        }

        private static string? Text(JsonElement obj, string name)
        {
            if (!obj.TryGetProperty(name, out var v)) return null;
            switch (v.ValueKind)
            {
                case JsonValueKind.String: return v.GetString();
                case JsonValueKind.Number: return v.GetRawText();
                default: return null;
            }
        }

        private static double? Number(JsonElement obj, string name)
        {
            if (!obj.TryGetProperty(name, out var v)) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d)) return d;
            if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return d;
            return null;
        }

        private static int? Integer(JsonElement obj, string name)
        {
            string? text = Text(obj, name);
            return text != null && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : (int?)null;
        }

        /// <summary>Unix seconds, as a string or a number.</summary>
        private static DateTimeOffset? UnixTime(JsonElement obj, string name)
        {
            string? text = Text(obj, name);
            if (text != null && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long seconds)
                && seconds >= -62135596800L && seconds <= 253402300799L)
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            return null;
        }
    }
}
