using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sobot.Emulator;

/// <summary>
/// Messages from customers, made on demand by <c>POST /_emulator/reply</c> and <c>POST /_emulator/inbound</c>:
/// each is posted to the webhook in the shape Sobot relays (WhatsApp's <c>context</c>, <c>button_reply</c>,
/// <c>list_reply</c> and template <c>button</c> included), kept, and opens the 24-hour window from its timestamp.
/// </summary>
public static class CustomerMessages
{
    /// <summary>
    /// <c>{"messageId": "wamid...", "text": "Yes"}</c>, <c>{"messageId": ..., "buttonText": "Yes"}</c> or
    /// <c>{"customerNumber": "...", "text": "..."}</c>; optional <c>"context"</c> (needs messageId), <c>"name"</c>
    /// (the profile name) and <c>"timestamp"</c> (unix seconds; default now). A button or list press carries
    /// WhatsApp's <c>context</c> naming the message pressed, as WhatsApp's do, unless <c>"context": false</c>; a
    /// typed reply carries it only with <c>"context": true</c> (the customer quoted the message).
    /// </summary>
    public static async Task<IResult> Reply(HttpRequest request, EmulatorState state, WebhookSender webhooks)
    {
        var b = await StrictBody.ReadAsync(request);
        b.AllowOnly("messageId", "customerNumber", "text", "buttonText", "context", "name", "timestamp");
        string? messageId = b.Optional("messageId");
        string? number = b.Optional("customerNumber");
        string? text = b.Optional("text", 4096);
        string? buttonText = b.Optional("buttonText", 24);
        bool? context = b.Has("context") ? b.Switch("context") : null;
        if ((messageId is null) == (number is null)) throw new BadRequestException("Give either 'messageId' (the message answered) or 'customerNumber'.");
        if ((text is null) == (buttonText is null)) throw new BadRequestException("Give either 'text' or 'buttonText'.");

        AcceptedMessage? answered = null;
        if (messageId != null)
        {
            answered = state.FindMessage(messageId);
            if (answered is null) return EmulatorJson.Message($"No message '{messageId}' was accepted since the last reset (or --no-retain is on).", 404);
            number = answered.CustomerNumber;
        }
        else if (!StrictBody.IsMobile(number)) throw new BadRequestException("Invalid mobile number");
        else if (buttonText != null || context == true) throw new BadRequestException("'buttonText' and 'context' need 'messageId': the message whose button is pressed or answered.");

        var content = buttonText is null ? TextContent(text!) : ButtonContent(answered!, buttonText, state);
        var at = b.Has("timestamp") ? UnixSeconds(b.Json["timestamp"]) : state.Clock.GetUtcNow();
        string name = b.Optional("name", 100) ?? state.FindCustomer(number!)?.Name ?? answered?.CustomerName ?? number!;
        // WhatsApp names the message whose button was pressed; a typed answer names one only when the customer quoted it.
        bool quoted = context ?? buttonText != null;
        return Deliver(state, webhooks, number!, name, content, quoted ? answered!.Id : null, at);
    }

    /// <summary>The older, shorter form: <c>{"from": "...", "name": "...", "text": "..."}</c> (text defaults to Hi).</summary>
    public static async Task<IResult> Inbound(HttpRequest request, EmulatorState state, WebhookSender webhooks)
    {
        var b = await StrictBody.ReadAsync(request);
        b.AllowOnly("from", "name", "text");
        var from = b.Required("from");
        if (!StrictBody.IsMobile(from)) throw new BadRequestException("Invalid mobile number");
        return Deliver(state, webhooks, from, b.Optional("name") ?? from, TextContent(b.Optional("text") ?? "Hi"), null, state.Clock.GetUtcNow());
    }

    public static IResult List(EmulatorState state) =>
        Results.Json(state.Inbound.Select(m => Describe(m)), EmulatorJson.Wire);

    private static IResult Deliver(EmulatorState state, WebhookSender webhooks, string number, string name, JsonObject content, string? contextId, DateTimeOffset at)
    {
        string id = "wamid.in" + Guid.NewGuid().ToString("N");
        var message = new JsonObject
        {
            ["from"] = number,
            ["id"] = id,
            ["timestamp"] = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        if (contextId != null) message["context"] = new JsonObject { ["from"] = state.Options.BusinessNumber, ["id"] = contextId };
        foreach (var (key, value) in content) message[key] = value?.DeepClone();
        var payload = new JsonArray(new JsonObject
        {
            ["field"] = "messages",
            ["value"] = new JsonObject
            {
                ["messaging_product"] = "whatsapp",
                ["metadata"] = new JsonObject { ["display_phone_number"] = state.Options.BusinessNumber },
                ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = name }, ["wa_id"] = number }),
                ["messages"] = new JsonArray(message),
            },
        });
        var inbound = new InboundMessage(id, number, at, payload);
        state.RecordInbound(inbound);
        bool queued = webhooks.Post(payload.DeepClone());
        var answer = Describe(inbound);
        answer["message"] = $"Inbound message recorded; the 24-hour window for {number} is open.";
        answer["code"] = 200;
        answer["webhookQueued"] = queued;
        return Results.Json(answer, EmulatorJson.Wire);
    }

    private static JsonObject Describe(InboundMessage m) => new()
    {
        ["id"] = m.Id,
        ["customerNumber"] = m.CustomerNumber,
        ["timestamp"] = m.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        ["payload"] = m.Payload.DeepClone(),
    };

    private static JsonObject TextContent(string text) => new() { ["type"] = "text", ["text"] = new JsonObject { ["body"] = text } };

    /// <summary>A press of one of the answered message's buttons, in the shape its kind produces on WhatsApp.</summary>
    private static JsonObject ButtonContent(AcceptedMessage answered, string title, EmulatorState state)
    {
        var body = answered.Body;
        switch (answered.Kind)
        {
            case "quick_reply":
                var buttons = Strings(body["buttons"]);
                if (buttons.Contains(title))
                    return Interactive("button_reply", new JsonObject { ["id"] = title, ["title"] = title });
                throw NoSuchButton(answered, title, buttons);
            case "list":
                var rows = (body["list_obj"]?["sections"]?.AsArray() ?? []).SelectMany(s => s?["rows"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
                var row = rows.FirstOrDefault(r => r["title"]?.GetValue<string>() == title)
                          ?? throw NoSuchButton(answered, title, rows.Select(r => r["title"]?.GetValue<string>() ?? "").ToList());
                return Interactive("list_reply", (JsonObject)row.DeepClone());
            case "template":
                var template = state.FindTemplate(answered.TemplateName!, body["template_lang"]!.GetValue<string>());
                var quickReplies = template?.Buttons ?? [];
                if (quickReplies.Contains(title))
                    return new JsonObject { ["type"] = "button", ["button"] = new JsonObject { ["text"] = title, ["payload"] = title } };
                throw NoSuchButton(answered, title, quickReplies);
            default:
                throw new BadRequestException($"Message '{answered.Id}' is a {answered.Kind} message and has no buttons; reply with 'text'.");
        }
    }

    private static JsonObject Interactive(string type, JsonObject reply) =>
        new() { ["type"] = "interactive", ["interactive"] = new JsonObject { ["type"] = type, [type] = reply } };

    private static BadRequestException NoSuchButton(AcceptedMessage answered, string title, IReadOnlyCollection<string> buttons) =>
        new($"Message '{answered.Id}' has no button '{title}'; it has: {(buttons.Count == 0 ? "none" : string.Join(", ", buttons))}.");

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "").ToList();

    private static DateTimeOffset UnixSeconds(JsonNode? node)
    {
        long? seconds = node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long n) => n,
            JsonValue v when v.GetValueKind() == JsonValueKind.String && long.TryParse(v.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out long n) => n,
            _ => null,
        };
        return seconds is >= 0 and <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds.Value)
            : throw new BadRequestException("Field 'timestamp' must be unix seconds, as a number or a string of digits.");
    }
}
