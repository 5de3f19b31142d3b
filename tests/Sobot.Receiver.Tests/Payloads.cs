namespace Sobot.Receiver.Tests;

/// <summary>Webhook bodies in the shapes of the contract (section 4), and WhatsApp's shapes Sobot relays.</summary>
public static class Payloads
{
    /// <summary>The documented inbound text message.</summary>
    public const string InboundText = """
        [{"field":"messages","value":{"messaging_product":"whatsapp",
          "metadata":{"display_phone_number":"918788000000"},
          "contacts":[{"profile":{"name":"John"},"wa_id":"919960123456"}],
          "messages":[{"from":"919960123456","id":"wamid.TEXT1","timestamp":"1692945450","type":"text","text":{"body":"Hi"}}]}}]
        """;

    /// <summary>The documented video example, whose media object sits under the key "image".</summary>
    public const string VideoUnderImageKey = """
        [{"field":"messages","value":{"messaging_product":"whatsapp",
          "metadata":{"display_phone_number":"918788000000"},
          "contacts":[{"profile":{"name":"John"},"wa_id":"919960123456"}],
          "messages":[{"from":"919960123456","id":"wamid.VIDEO1","timestamp":"1692945460","type":"video",
            "image":{"mime_type":"video/mp4","sha256":"c2hhMjU2","id":"777","url":"https://lookaside.example/777"}}]}}]
        """;

    public static string Inbound(string id, string from, string text, long timestamp = 1692945450) =>
        "[{\"field\":\"messages\",\"value\":{\"contacts\":[{\"profile\":{\"name\":\"C\"},\"wa_id\":\"" + from + "\"}],\"messages\":[{\"from\":\"" + from +
        "\",\"id\":\"" + id + "\",\"timestamp\":\"" + timestamp + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}]}}]";

    public static string ButtonReply(string id, string from, string title, string? contextId)
    {
        string context = contextId == null ? "" : ",\"context\":{\"from\":\"918788000000\",\"id\":\"" + contextId + "\"}";
        return "[{\"field\":\"messages\",\"value\":{\"messages\":[{\"from\":\"" + from + "\",\"id\":\"" + id + "\",\"timestamp\":\"1692945470\",\"type\":\"interactive\"" + context +
            ",\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"btn-" + title + "\",\"title\":\"" + title + "\"}}}]}}]";
    }

    public static string TemplateButton(string id, string from, string text) =>
        "[{\"field\":\"messages\",\"value\":{\"messages\":[{\"from\":\"" + from + "\",\"id\":\"" + id +
        "\",\"timestamp\":\"1692945480\",\"type\":\"button\",\"button\":{\"text\":\"" + text + "\",\"payload\":\"p-" + text + "\"}}]}}]";

    public static string Status(string id, string status, long timestamp) =>
        "{\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"timestamp\":\"" + timestamp + "\"}";

    public static string Failed(string id, long timestamp, string recipient) =>
        "{\"id\":\"" + id + "\",\"status\":\"failed\",\"timestamp\":\"" + timestamp + "\",\"recipient_id\":\"" + recipient +
        "\",\"errors\":[{\"code\":131026,\"title\":\"Message undeliverable\"}]}";

    public static string Array(params string[] items) => "[" + string.Join(",", items) + "]";
}
