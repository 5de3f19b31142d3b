using System.Text.Json.Nodes;
using CsCheck;
using Sobot.Client.Webhooks;

namespace Sobot.Client.Tests;

public class WebhookParserTests
{
    [Fact]
    public void Reads_the_documented_inbound_text_message()
    {
        const string json = """
            [{"field":"messages","value":{"messaging_product":"whatsapp",
              "metadata":{"display_phone_number":"918788000000"},
              "contacts":[{"profile":{"name":"John"},"wa_id":"919960123456"}],
              "messages":[{"from":"919960123456","id":"wamid.ABC","timestamp":"1692945450","type":"text","text":{"body":"Hi"}}]}}]
            """;
        var m = Assert.IsType<SobotInboundMessage>(Assert.Single(SobotWebhookParser.Parse(json)));
        Assert.Equal(("919960123456", "John", "wamid.ABC", "text", "Hi", "918788000000"), (m.From, m.Name, m.MessageId, m.Type, m.Text, m.DisplayPhoneNumber));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1692945450), m.Timestamp);
    }

    [Theory]
    [InlineData("video", "video")]
    [InlineData("video", "image")]   // the documented video example puts its media object under "image"
    [InlineData("image", "image")]
    [InlineData("document", "document")]
    public void Reads_media_under_its_own_key_or_the_documented_one(string type, string key)
    {
        string media = "{\"mime_type\":\"video/mp4\",\"sha256\":\"abc=\",\"id\":\"1234\",\"url\":\"https://lookaside.example/1234\"}";
        string message = "{\"from\":\"919960123456\",\"id\":\"wamid.M\",\"timestamp\":\"1692945450\",\"type\":\"" + type + "\",\"" + key + "\":" + media + "}";
        string json = "[{\"field\":\"messages\",\"value\":{\"contacts\":[{\"profile\":{\"name\":\"J\"},\"wa_id\":\"919960123456\"}],\"messages\":[" + message + "]}}]";
        var m = Assert.IsType<SobotInboundMessage>(Assert.Single(SobotWebhookParser.Parse(json)));
        Assert.Equal(type, m.Type);
        Assert.NotNull(m.Media);
        Assert.Equal(("1234", "video/mp4", "abc=", "https://lookaside.example/1234"), (m.Media!.Id, m.Media.MimeType, m.Media.Sha256, m.Media.Url));
    }

    [Fact]
    public void Reads_button_replies_and_locations()
    {
        const string json = """
            [{"field":"messages","value":{"messages":[
              {"from":"919960123456","id":"w1","timestamp":"1","type":"button","button":{"text":"Yes","payload":"yes_1"}},
              {"from":"919960123456","id":"w2","timestamp":"2","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"id_1","title":"First title"}}},
              {"from":"919960123456","id":"w3","timestamp":"3","type":"location","location":{"latitude":18.52,"longitude":"73.85","name":"Pune"}}]}}]
            """;
        var events = SobotWebhookParser.Parse(json).Cast<SobotInboundMessage>().ToList();
        Assert.Equal(("Yes", "yes_1"), (events[0].ButtonText, events[0].ButtonPayload));
        Assert.Equal(("First title", "id_1"), (events[1].ButtonText, events[1].ButtonPayload));
        Assert.Equal((18.52, 73.85, "Pune"), (events[2].Latitude!.Value, events[2].Longitude!.Value, events[2].LocationName));
    }

    [Fact]
    public void Reads_status_updates_alone_or_in_arrays()
    {
        var one = Assert.IsType<SobotMessageStatus>(Assert.Single(SobotWebhookParser.Parse("""{"id":"wamid.S","status":"delivered","timestamp":"1692947519"}""")));
        Assert.Equal(("wamid.S", "delivered"), (one.MessageId, one.Status));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1692947519), one.Timestamp);
        var many = SobotWebhookParser.Parse("""[{"id":"a","status":"read","timestamp":"3"},{"id":"a","status":"sent","timestamp":"1"}]""");
        Assert.Equal(["sent", "read"], many.Cast<SobotMessageStatus>().OrderBy(s => s.Timestamp).Select(s => s.Status));
    }

    [Fact]
    public void A_reply_names_the_message_it_answers_through_context()
    {
        const string json = """
            [{"field":"messages","value":{"messages":[
              {"from":"919960123456","id":"w1","timestamp":"1","type":"interactive",
               "context":{"from":"918788000000","id":"wamid.QUESTION"},
               "interactive":{"type":"button_reply","button_reply":{"id":"yes","title":"Yes"}}},
              {"from":"919960123456","id":"w2","timestamp":"2","type":"button","button":{"text":"No","payload":"no"}},
              {"from":"919960123456","id":"w3","timestamp":"3","type":"text","text":{"body":"ok"},"context":{"id":"wamid.OTHER"}}]}}]
            """;
        var events = SobotWebhookParser.Parse(json).Cast<SobotInboundMessage>().ToList();
        Assert.Equal(("wamid.QUESTION", "918788000000", "Yes", "yes"), (events[0].ReplyToMessageId, events[0].ContextFrom, events[0].ButtonText, events[0].ButtonPayload));
        Assert.Equal(((string?)null, (string?)null, "No"), (events[1].ReplyToMessageId, events[1].ContextFrom, events[1].ButtonText));
        Assert.Equal(("wamid.OTHER", (string?)null, "ok"), (events[2].ReplyToMessageId, events[2].ContextFrom, events[2].Text));
    }

    [Fact]
    public void A_failed_status_carries_the_recipient_and_the_first_error()
    {
        const string json = """
            {"id":"wamid.F","status":"failed","timestamp":"1692947519","recipient_id":"919960123456",
             "errors":[{"code":131026,"title":"Message undeliverable"},{"code":1,"title":"later"}]}
            """;
        var status = Assert.IsType<SobotMessageStatus>(Assert.Single(SobotWebhookParser.Parse(json)));
        Assert.Equal(("wamid.F", "failed", "919960123456", 131026, "Message undeliverable"),
            (status.MessageId, status.Status, status.RecipientId, status.ErrorCode!.Value, status.ErrorTitle));
    }

    [Theory]
    [InlineData("""{"id":"a","status":"sent","timestamp":"1"}""", null, null)]
    [InlineData("""{"id":"a","status":"failed","timestamp":"1","errors":[]}""", null, null)]
    [InlineData("""{"id":"a","status":"failed","timestamp":"1","errors":[{"code":"131047"}]}""", 131047, null)]
    [InlineData("""{"id":"a","status":"failed","timestamp":"1","errors":[{"code":"x","title":"T"}]}""", null, "T")]
    [InlineData("""{"id":"a","status":"failed","timestamp":"1","errors":"broken"}""", null, null)]
    public void Error_fields_are_read_when_present_and_never_required(string json, int? code, string? title)
    {
        var status = Assert.IsType<SobotMessageStatus>(Assert.Single(SobotWebhookParser.Parse(json)));
        Assert.Equal((code, title), (status.ErrorCode, status.ErrorTitle));
    }

    [Fact]
    public void Statuses_inside_an_entry_carry_the_new_fields_too()
    {
        const string json = """
            [{"field":"messages","value":{"statuses":[{"id":"wamid.E","status":"failed","timestamp":"5","recipient_id":"9199",
              "errors":[{"code":131026,"title":"Message undeliverable"}]}]}}]
            """;
        var status = Assert.IsType<SobotMessageStatus>(Assert.Single(SobotWebhookParser.Parse(json)));
        Assert.Equal(("9199", 131026), (status.RecipientId, status.ErrorCode!.Value));
    }

    [Fact]
    public void Unknown_types_and_shapes_come_through_with_their_json()
    {
        const string json = """[{"field":"messages","value":{"messages":[{"from":"1","id":"w","timestamp":"x","type":"reaction","reaction":{"emoji":"👍"}}]}},{"hello":"world"},42]""";
        var events = SobotWebhookParser.Parse(json);
        var reaction = Assert.IsType<SobotInboundMessage>(events[0]);
        Assert.Equal("reaction", reaction.Type);
        Assert.Null(reaction.Timestamp);
        Assert.Contains("👍", reaction.RawJson);
        Assert.Equal("""{"hello":"world"}""", Assert.IsType<SobotUnknownWebhookEvent>(events[1]).RawJson);
        Assert.Equal("42", Assert.IsType<SobotUnknownWebhookEvent>(events[2]).RawJson);
    }

    [Fact]
    public void Text_that_is_not_json_is_a_format_exception()
    {
        Assert.Throws<FormatException>(() => SobotWebhookParser.Parse("<html>"));
        Assert.Throws<FormatException>(() => SobotWebhookParser.Parse(""));
    }

    private static readonly Gen<JsonNode?> Leaf = Gen.OneOf(
        Gen.Const((JsonNode?)null),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create(0)),
        Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.OneOfConst("text", "image", "video", "messages", "1692945450", "-99999999999999", "wamid.x").Select(s => (JsonNode?)JsonValue.Create(s)));

    private static readonly string[] Keys = ["field", "value", "messages", "statuses", "contacts", "profile", "name", "wa_id", "from", "id", "timestamp",
        "type", "text", "body", "image", "video", "document", "status", "button", "interactive", "list_reply", "button_reply", "location", "latitude", "metadata", "x", "context", "errors", "code", "title", "recipient_id"];

    private static Gen<JsonNode?> Node(int depth) => depth == 0 ? Leaf : Gen.Frequency(
        (3, Leaf),
        (2, Node(depth - 1).Array[0, 4].Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))),
        (3, Gen.Select(Gen.OneOfConst(Keys), Node(depth - 1)).Array[0, 5].Select(pairs =>
        {
            var obj = new JsonObject();
            foreach (var (k, v) in pairs) obj[k] = v?.DeepClone();
            return (JsonNode?)obj;
        })));

    [Fact]
    public void Never_throws_on_arbitrary_json()
    {
        Node(5).Sample(node =>
        {
            string json = node?.ToJsonString() ?? "null";
            var events = SobotWebhookParser.Parse(json);
            Assert.NotNull(events);
            Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.RawJson)));
        }, iter: 5000);
    }
}
