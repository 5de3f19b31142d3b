using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sobot.Client.Validation;
using Sobot.Client.Webhooks;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Ingress;

/// <summary>
/// Turns a webhook body into the events to store, through the client's <see cref="SobotWebhookParser"/>, and gives
/// each its identity: <c>inbound:&lt;wamid&gt;</c>, <c>status:&lt;wamid&gt;:&lt;status&gt;</c>, or for anything else
/// <c>unknown:&lt;sha256 of its JSON&gt;</c>. A body that is not JSON at all is one unknown event holding its text.
/// The customer's number is keyed in its canonical form (<see cref="PhoneNumberNormalizer.Canonical"/>); the event's
/// fields and raw JSON keep it as it came.
/// </summary>
public static class WebhookEventMapper
{
    /// <param name="words">The stop and start words inbound messages are judged by; <see cref="ConsentWords.Default"/> when null.</param>
    public static IReadOnlyList<NewEvent> Map(byte[] body, ConsentWords? words = null)
    {
        words ??= ConsentWords.Default;
        string text = Encoding.UTF8.GetString(body);
        IReadOnlyList<SobotWebhookEvent> parsed;
        try
        {
            parsed = SobotWebhookParser.Parse(text);
        }
        catch (FormatException)
        {
            return [Unknown(text)];
        }
        var events = new List<NewEvent>(parsed.Count);
        foreach (var e in parsed)
        {
            events.Add(e switch
            {
                SobotInboundMessage m when m.MessageId != null => Inbound(m, words),
                SobotMessageStatus s when s.MessageId != null && s.Status != null => Status(s),
                _ => Unknown(e.RawJson),
            });
        }
        return events;
    }

    private static NewEvent Inbound(SobotInboundMessage m, ConsentWords words) => new()
    {
        Kind = EventKind.Inbound,
        DedupKey = "inbound:" + m.MessageId,
        MessageId = m.MessageId,
        CustomerNumber = PhoneNumberNormalizer.Canonical(m.From),
        EventTime = m.Timestamp,
        Consent = words.Classify(m.Type, m.Text, m.ButtonText),
        RawText = m.RawJson,
        FieldsJson = Fields(w =>
        {
            w.WriteString("messageId", m.MessageId);
            w.WriteString("from", m.From);
            w.WriteString("name", m.Name);
            Time(w, "timestamp", m.Timestamp);
            w.WriteString("messageType", m.Type);
            w.WriteString("text", m.Text);
            w.WriteString("buttonText", m.ButtonText);
            w.WriteString("buttonPayload", m.ButtonPayload);
            w.WriteString("replyToMessageId", m.ReplyToMessageId);
            w.WriteString("contextFrom", m.ContextFrom);
            w.WriteString("displayPhoneNumber", m.DisplayPhoneNumber);
            if (m.Media is { } media)
            {
                w.WriteStartObject("media");
                w.WriteString("id", media.Id);
                w.WriteString("mimeType", media.MimeType);
                w.WriteString("sha256", media.Sha256);
                w.WriteString("url", media.Url);
                w.WriteString("caption", media.Caption);
                w.WriteString("filename", media.Filename);
                w.WriteEndObject();
            }
            else w.WriteNull("media");
            Number(w, "latitude", m.Latitude);
            Number(w, "longitude", m.Longitude);
            w.WriteString("locationName", m.LocationName);
            w.WriteString("address", m.Address);
        }),
    };

    private static NewEvent Status(SobotMessageStatus s) => new()
    {
        Kind = EventKind.Status,
        // The status word is lower-cased so "Read" and "read" are one event; the raw JSON keeps what was sent.
        DedupKey = "status:" + s.MessageId + ":" + s.Status!.ToLowerInvariant(),
        MessageId = s.MessageId,
        CustomerNumber = PhoneNumberNormalizer.Canonical(s.RecipientId),
        Status = s.Status.ToLowerInvariant(),
        EventTime = s.Timestamp,
        ErrorCode = s.ErrorCode,
        ErrorTitle = s.ErrorTitle,
        RawText = s.RawJson,
        FieldsJson = Fields(w =>
        {
            w.WriteString("messageId", s.MessageId);
            w.WriteString("status", s.Status.ToLowerInvariant());
            Time(w, "timestamp", s.Timestamp);
            w.WriteString("recipientId", s.RecipientId);
            if (s.ErrorCode is int code) w.WriteNumber("errorCode", code); else w.WriteNull("errorCode");
            w.WriteString("errorTitle", s.ErrorTitle);
        }),
    };

    private static NewEvent Unknown(string raw) => new()
    {
        Kind = EventKind.Unknown,
        DedupKey = "unknown:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))),
        RawText = raw,
        FieldsJson = "{}",
    };

    private static string Fields(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, ReceiverJson.WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Time(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (ReceiverJson.Time(value) is string text) w.WriteString(name, text); else w.WriteNull(name);
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double d && double.IsFinite(d)) w.WriteNumber(name, d); else w.WriteNull(name);
    }
}
