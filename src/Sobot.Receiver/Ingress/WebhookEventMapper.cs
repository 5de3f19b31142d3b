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
        FieldsJson = Fields(m),
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
        FieldsJson = Fields(s),
    };

    private static NewEvent Unknown(string raw) => new()
    {
        Kind = EventKind.Unknown,
        DedupKey = "unknown:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))),
        RawText = raw,
        FieldsJson = "{}",
    };

    /// <summary>The event's fields as the query API writes them, by the one declaration of them (<see cref="ReceiverEventFields"/>).</summary>
    private static string Fields(SobotWebhookEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, ReceiverJson.WriterOptions))
        {
            writer.WriteStartObject();
            ReceiverEventFields.Write(writer, e);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
