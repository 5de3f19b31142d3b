using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Sobot.Client.Webhooks
{
    /// <summary>How a field of a receiver event is written in the query API's JSON.</summary>
    public enum ReceiverEventFieldKind
    {
        /// <summary>A string, or null.</summary>
        Text,
        /// <summary>A time: UTC, ISO 8601 with milliseconds and Z, or null.</summary>
        Time,
        /// <summary>A finite number, or null.</summary>
        Number,
        /// <summary>A 32-bit integer, or null.</summary>
        Integer,
        /// <summary>An object of the <see cref="ReceiverEventFields.Media"/> fields, or null.</summary>
        Media,
    }

    /// <summary>
    /// One field of an event as the webhook receiver's query API writes it: its JSON name, its kind, and the property of
    /// the typed event it comes from and goes back to.
    /// </summary>
    public sealed class ReceiverEventField
    {
        private readonly Action<Utf8JsonWriter, object> _write;
        private readonly Action<JsonElement, object> _read;

        private ReceiverEventField(string name, ReceiverEventFieldKind kind, string property, Action<Utf8JsonWriter, object> write, Action<JsonElement, object> read)
        {
            Name = name;
            Kind = kind;
            Property = property;
            _write = write;
            _read = read;
        }

        /// <summary>The name in the JSON (camel case).</summary>
        public string Name { get; }

        public ReceiverEventFieldKind Kind { get; }

        /// <summary>The property of <see cref="SobotInboundMessage"/>, <see cref="SobotMessageStatus"/> or <see cref="SobotWebhookMedia"/>.</summary>
        public string Property { get; }

        internal void Write(Utf8JsonWriter writer, object owner) => _write(writer, owner);

        internal void Read(JsonElement json, object owner) => _read(json, owner);

        internal static ReceiverEventField Text<T>(string name, string property, Func<T, string?> get, Action<T, string?> set) =>
            new ReceiverEventField(name, ReceiverEventFieldKind.Text, property, (w, o) => w.WriteString(name, get((T)o)),
                (j, o) => set((T)o, ReceiverEventFields.ReadText(j, name)));

        internal static ReceiverEventField Time<T>(string name, string property, Func<T, DateTimeOffset?> get, Action<T, DateTimeOffset?> set) =>
            new ReceiverEventField(name, ReceiverEventFieldKind.Time, property,
                (w, o) =>
                {
                    if (ReceiverEventFields.FormatTime(get((T)o)) is string text) w.WriteString(name, text); else w.WriteNull(name);
                },
                (j, o) => set((T)o, ReceiverEventFields.ReadTime(j, name)));

        internal static ReceiverEventField Number<T>(string name, string property, Func<T, double?> get, Action<T, double?> set) =>
            new ReceiverEventField(name, ReceiverEventFieldKind.Number, property,
                (w, o) =>
                {
                    // Not double.IsFinite: netstandard2.0 has no such method.
                    if (get((T)o) is double d && !double.IsNaN(d) && !double.IsInfinity(d)) w.WriteNumber(name, d); else w.WriteNull(name);
                },
                (j, o) => set((T)o, j.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) ? d : (double?)null));

        internal static ReceiverEventField Integer<T>(string name, string property, Func<T, int?> get, Action<T, int?> set) =>
            new ReceiverEventField(name, ReceiverEventFieldKind.Integer, property,
                (w, o) =>
                {
                    if (get((T)o) is int i) w.WriteNumber(name, i); else w.WriteNull(name);
                },
                (j, o) => set((T)o, j.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : (int?)null));

        internal static ReceiverEventField MediaObject(string name, string property, Func<SobotInboundMessage, SobotWebhookMedia?> get, Action<SobotInboundMessage, SobotWebhookMedia?> set) =>
            new ReceiverEventField(name, ReceiverEventFieldKind.Media, property,
                (w, o) =>
                {
                    if (get((SobotInboundMessage)o) is SobotWebhookMedia media)
                    {
                        w.WriteStartObject(name);
                        ReceiverEventFields.WriteAll(w, ReceiverEventFields.Media, media);
                        w.WriteEndObject();
                    }
                    else w.WriteNull(name);
                },
                (j, o) =>
                {
                    SobotWebhookMedia? media = null;
                    if (j.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object)
                    {
                        media = new SobotWebhookMedia();
                        ReceiverEventFields.ReadAll(v, ReceiverEventFields.Media, media);
                    }
                    set((SobotInboundMessage)o, media);
                });
    }

    /// <summary>
    /// The fields of each kind of event in the webhook receiver's query API (docs/receiver.md), declared once: the
    /// receiver writes an event's fields from this list (in this order), <see cref="SobotReceiverEventReader"/> reads them
    /// back by it, and a test holds the field table of docs/receiver.md to it. Adding a field to an event is one line here
    /// (with the property on the typed event and its parsing from the webhook body).
    /// </summary>
    public static class ReceiverEventFields
    {
        /// <summary>The fields of an <c>inbound</c> event, in the order they are written.</summary>
        public static IReadOnlyList<ReceiverEventField> Inbound { get; } = new[]
        {
            ReceiverEventField.Text<SobotInboundMessage>("messageId", nameof(SobotInboundMessage.MessageId), m => m.MessageId, (m, v) => m.MessageId = v),
            ReceiverEventField.Text<SobotInboundMessage>("from", nameof(SobotInboundMessage.From), m => m.From, (m, v) => m.From = v),
            ReceiverEventField.Text<SobotInboundMessage>("name", nameof(SobotInboundMessage.Name), m => m.Name, (m, v) => m.Name = v),
            ReceiverEventField.Time<SobotInboundMessage>("timestamp", nameof(SobotInboundMessage.Timestamp), m => m.Timestamp, (m, v) => m.Timestamp = v),
            ReceiverEventField.Text<SobotInboundMessage>("messageType", nameof(SobotInboundMessage.Type), m => m.Type, (m, v) => m.Type = v),
            ReceiverEventField.Text<SobotInboundMessage>("text", nameof(SobotInboundMessage.Text), m => m.Text, (m, v) => m.Text = v),
            ReceiverEventField.Text<SobotInboundMessage>("buttonText", nameof(SobotInboundMessage.ButtonText), m => m.ButtonText, (m, v) => m.ButtonText = v),
            ReceiverEventField.Text<SobotInboundMessage>("buttonPayload", nameof(SobotInboundMessage.ButtonPayload), m => m.ButtonPayload, (m, v) => m.ButtonPayload = v),
            ReceiverEventField.Text<SobotInboundMessage>("replyToMessageId", nameof(SobotInboundMessage.ReplyToMessageId), m => m.ReplyToMessageId, (m, v) => m.ReplyToMessageId = v),
            ReceiverEventField.Text<SobotInboundMessage>("contextFrom", nameof(SobotInboundMessage.ContextFrom), m => m.ContextFrom, (m, v) => m.ContextFrom = v),
            ReceiverEventField.Text<SobotInboundMessage>("displayPhoneNumber", nameof(SobotInboundMessage.DisplayPhoneNumber), m => m.DisplayPhoneNumber, (m, v) => m.DisplayPhoneNumber = v),
            ReceiverEventField.MediaObject("media", nameof(SobotInboundMessage.Media), m => m.Media, (m, v) => m.Media = v),
            ReceiverEventField.Number<SobotInboundMessage>("latitude", nameof(SobotInboundMessage.Latitude), m => m.Latitude, (m, v) => m.Latitude = v),
            ReceiverEventField.Number<SobotInboundMessage>("longitude", nameof(SobotInboundMessage.Longitude), m => m.Longitude, (m, v) => m.Longitude = v),
            ReceiverEventField.Text<SobotInboundMessage>("locationName", nameof(SobotInboundMessage.LocationName), m => m.LocationName, (m, v) => m.LocationName = v),
            ReceiverEventField.Text<SobotInboundMessage>("address", nameof(SobotInboundMessage.Address), m => m.Address, (m, v) => m.Address = v),
        };

        /// <summary>The fields of a <c>status</c> event (and of a status record of <c>/v1/status</c>), in the order they are written.</summary>
        public static IReadOnlyList<ReceiverEventField> Status { get; } = new[]
        {
            ReceiverEventField.Text<SobotMessageStatus>("messageId", nameof(SobotMessageStatus.MessageId), s => s.MessageId, (s, v) => s.MessageId = v),
            // The receiver keeps the status word in lower case ("Read" and "read" are one event); the raw JSON keeps what was sent.
            ReceiverEventField.Text<SobotMessageStatus>("status", nameof(SobotMessageStatus.Status), s => s.Status?.ToLowerInvariant(), (s, v) => s.Status = v),
            ReceiverEventField.Time<SobotMessageStatus>("timestamp", nameof(SobotMessageStatus.Timestamp), s => s.Timestamp, (s, v) => s.Timestamp = v),
            ReceiverEventField.Text<SobotMessageStatus>("recipientId", nameof(SobotMessageStatus.RecipientId), s => s.RecipientId, (s, v) => s.RecipientId = v),
            ReceiverEventField.Integer<SobotMessageStatus>("errorCode", nameof(SobotMessageStatus.ErrorCode), s => s.ErrorCode, (s, v) => s.ErrorCode = v),
            ReceiverEventField.Text<SobotMessageStatus>("errorTitle", nameof(SobotMessageStatus.ErrorTitle), s => s.ErrorTitle, (s, v) => s.ErrorTitle = v),
        };

        /// <summary>The fields of an inbound message's <c>media</c> object.</summary>
        public static IReadOnlyList<ReceiverEventField> Media { get; } = new[]
        {
            ReceiverEventField.Text<SobotWebhookMedia>("id", nameof(SobotWebhookMedia.Id), m => m.Id, (m, v) => m.Id = v),
            ReceiverEventField.Text<SobotWebhookMedia>("mimeType", nameof(SobotWebhookMedia.MimeType), m => m.MimeType, (m, v) => m.MimeType = v),
            ReceiverEventField.Text<SobotWebhookMedia>("sha256", nameof(SobotWebhookMedia.Sha256), m => m.Sha256, (m, v) => m.Sha256 = v),
            ReceiverEventField.Text<SobotWebhookMedia>("url", nameof(SobotWebhookMedia.Url), m => m.Url, (m, v) => m.Url = v),
            ReceiverEventField.Text<SobotWebhookMedia>("caption", nameof(SobotWebhookMedia.Caption), m => m.Caption, (m, v) => m.Caption = v),
            ReceiverEventField.Text<SobotWebhookMedia>("filename", nameof(SobotWebhookMedia.Filename), m => m.Filename, (m, v) => m.Filename = v),
        };

        /// <summary>The fields of an event of this kind (none for an unknown event).</summary>
        public static IReadOnlyList<ReceiverEventField> Of(SobotWebhookEvent e) => e switch
        {
            SobotInboundMessage _ => Inbound,
            SobotMessageStatus _ => Status,
            _ => Array.Empty<ReceiverEventField>(),
        };

        /// <summary>Writes the event's fields, in their declared order, into the object <paramref name="writer"/> has open.</summary>
        public static void Write(Utf8JsonWriter writer, SobotWebhookEvent e)
        {
            if (writer == null) throw new ArgumentNullException(nameof(writer));
            if (e == null) throw new ArgumentNullException(nameof(e));
            WriteAll(writer, Of(e), e);
        }

        /// <summary>Every time the receiver writes: UTC, ISO 8601, milliseconds, Z.</summary>
        public static string? FormatTime(DateTimeOffset? value) =>
            value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        internal static void Read(JsonElement json, SobotWebhookEvent e) => ReadAll(json, Of(e), e);

        internal static void WriteAll(Utf8JsonWriter writer, IReadOnlyList<ReceiverEventField> fields, object owner)
        {
            foreach (var field in fields) field.Write(writer, owner);
        }

        internal static void ReadAll(JsonElement json, IReadOnlyList<ReceiverEventField> fields, object owner)
        {
            foreach (var field in fields) field.Read(json, owner);
        }

        internal static string? ReadText(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        internal static DateTimeOffset? ReadTime(JsonElement obj, string name) =>
            ReadText(obj, name) is string text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
                ? t : (DateTimeOffset?)null;
    }
}
