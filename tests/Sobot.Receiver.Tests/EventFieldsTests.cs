using System.Reflection;
using System.Text.Json;
using Sobot.Client.Webhooks;
using Sobot.Receiver.Ingress;

namespace Sobot.Receiver.Tests;

/// <summary>
/// An event's fields are declared once (<see cref="ReceiverEventFields"/>): the receiver writes them from it, the client
/// reads them by it, and docs/receiver.md's field table follows it. These tests hold the three to the declaration and
/// the JSON on the wire to the query API's contract.
/// </summary>
public class EventFieldsTests
{
    private const string Location = """
        [{"field":"messages","value":{"metadata":{"display_phone_number":"918788000000"},
          "contacts":[{"profile":{"name":"Asha \"A\" <b>"},"wa_id":"919960123456"}],
          "messages":[{"from":"919960123456","id":"wamid.LOC1","timestamp":"1692945490","type":"location",
            "location":{"latitude":18.5204,"longitude":73.8567,"name":"Pune","address":"Shivajinagar, Pune"}}]}}]
        """;

    [Fact]
    public void The_docs_field_table_lists_the_declared_fields_in_order()
    {
        string docs = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "systemd", "receiver.md"));
        int marker = docs.IndexOf("<!-- event fields", StringComparison.Ordinal);
        Assert.True(marker >= 0, "docs/receiver.md has no '<!-- event fields' table");
        var documented = docs[marker..].Split('\n').Skip(3).TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Split('|').Skip(1).Take(4).Select(cell => cell.Trim().Trim('`')).ToArray())
            .Select(cells => $"{cells[0]} {cells[1]} {cells[2]} {cells[3]}")
            .ToList();
        var declared = Rows("inbound", ReceiverEventFields.Inbound).Concat(Rows("media", ReceiverEventFields.Media)).Concat(Rows("status", ReceiverEventFields.Status)).ToList();

        var missing = declared.Except(documented).ToList();
        var extra = documented.Except(declared).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"docs/receiver.md's field table differs from ReceiverEventFields. Not documented: [{string.Join("; ", missing)}]. Documented but not declared: [{string.Join("; ", extra)}].");
        Assert.Equal(declared, documented);   // the same rows in the order they are written
    }

    private static IEnumerable<string> Rows(string type, IReadOnlyList<ReceiverEventField> fields) =>
        fields.Select(f => $"{type} {f.Name} {f.Kind.ToString().ToLowerInvariant()} {f.Property}");

    [Fact]
    public void Every_declared_field_names_a_property_of_its_typed_event()
    {
        foreach (var (type, fields) in new[] { (typeof(SobotInboundMessage), ReceiverEventFields.Inbound), (typeof(SobotMessageStatus), ReceiverEventFields.Status), (typeof(SobotWebhookMedia), ReceiverEventFields.Media) })
        {
            foreach (var field in fields) Assert.True(type.GetProperty(field.Property) != null, $"{type.Name} has no property {field.Property} (field {field.Name})");
            Assert.Equal(fields.Count, fields.Select(f => f.Name).Distinct().Count());
        }
    }

    /// <summary>
    /// The fields JSON the receiver stores and the query API writes out as it is: the same bytes as before the fields
    /// were declared (these strings are what the hand-written mapper produced), so no client of the API sees a change.
    /// </summary>
    [Fact]
    public void The_fields_json_of_each_kind_is_the_query_api_s_bytes()
    {
        Assert.Equal(
            """{"messageId":"wamid.TEXT1","from":"919960123456","name":"John","timestamp":"2023-08-25T06:37:30.000Z","messageType":"text","text":"Hi","buttonText":null,"buttonPayload":null,"replyToMessageId":null,"contextFrom":null,"displayPhoneNumber":"918788000000","media":null,"latitude":null,"longitude":null,"locationName":null,"address":null}""",
            Fields(Payloads.InboundText));
        Assert.Equal(
            """{"messageId":"wamid.VIDEO1","from":"919960123456","name":"John","timestamp":"2023-08-25T06:37:40.000Z","messageType":"video","text":null,"buttonText":null,"buttonPayload":null,"replyToMessageId":null,"contextFrom":null,"displayPhoneNumber":"918788000000","media":{"id":"777","mimeType":"video/mp4","sha256":"c2hhMjU2","url":"https://lookaside.example/777","caption":null,"filename":null},"latitude":null,"longitude":null,"locationName":null,"address":null}""",
            Fields(Payloads.VideoUnderImageKey));
        Assert.Equal(
            """{"messageId":"wamid.R1","from":"919960123456","name":null,"timestamp":"2023-08-25T06:37:50.000Z","messageType":"interactive","text":null,"buttonText":"Yes","buttonPayload":"btn-Yes","replyToMessageId":"wamid.QUESTION","contextFrom":"918788000000","displayPhoneNumber":null,"media":null,"latitude":null,"longitude":null,"locationName":null,"address":null}""",
            Fields(Payloads.ButtonReply("wamid.R1", "919960123456", "Yes", contextId: "wamid.QUESTION")));
        Assert.Equal(
            """{"messageId":"wamid.LOC1","from":"919960123456","name":"Asha \"A\" <b>","timestamp":"2023-08-25T06:38:10.000Z","messageType":"location","text":null,"buttonText":null,"buttonPayload":null,"replyToMessageId":null,"contextFrom":null,"displayPhoneNumber":"918788000000","media":null,"latitude":18.5204,"longitude":73.8567,"locationName":"Pune","address":"Shivajinagar, Pune"}""",
            Fields(Location));
        Assert.Equal(
            """{"messageId":"wamid.F","status":"failed","timestamp":"2023-08-25T07:11:59.000Z","recipientId":"919960123456","errorCode":131026,"errorTitle":"Message undeliverable"}""",
            Fields(Payloads.Failed("wamid.F", 1692947519, "919960123456")));
        Assert.Equal(
            """{"messageId":"wamid.S","status":"read","timestamp":"2023-08-25T07:11:59.000Z","recipientId":null,"errorCode":null,"errorTitle":null}""",
            Fields(Payloads.Status("wamid.S", "Read", 1692947519)));
        Assert.Equal("{}", Fields("not json"));
    }

    private static string Fields(string body) => WebhookEventMapper.Map(System.Text.Encoding.UTF8.GetBytes(body)).Single().FieldsJson;

    /// <summary>What the receiver writes from the declaration, the client reads back by it: every declared property, compared by value.</summary>
    [Fact]
    public void What_the_mapper_writes_the_reader_reads_back_field_by_field()
    {
        foreach (string body in new[] { Payloads.InboundText, Payloads.VideoUnderImageKey, Location, Payloads.ButtonReply("wamid.R1", "919960123456", "Yes", "wamid.Q"),
            Payloads.Failed("wamid.F", 1692947519, "919960123456") })
        {
            var parsed = SobotWebhookParser.Parse(body).Single();
            var stored = WebhookEventMapper.Map(System.Text.Encoding.UTF8.GetBytes(body)).Single();
            // The query API's event: its own keys, then the stored fields object's members, then raw.
            string json = "{\"seq\":1,\"type\":\"" + (parsed is SobotInboundMessage ? "inbound" : "status") + "\"," + stored.FieldsJson[1..^1] + ",\"raw\":" + JsonSerializer.Serialize(stored.RawText) + "}";
            using var document = JsonDocument.Parse(json);
            var read = SobotReceiverEventReader.ReadEvent(document.RootElement);
            Assert.Equal(parsed.GetType(), read.GetType());
            foreach (var field in ReceiverEventFields.Of(parsed))
            {
                object? expected = Value(parsed, field.Property), actual = Value(read, field.Property);
                if (field.Kind == ReceiverEventFieldKind.Media)
                {
                    foreach (var m in ReceiverEventFields.Media)
                        Assert.True(Equals(expected == null ? null : Value(expected, m.Property), actual == null ? null : Value(actual, m.Property)), $"{field.Name}.{m.Name} of {parsed.RawJson}");
                    Assert.Equal(expected == null, actual == null);
                }
                else if (field.Name == "status") Assert.Equal(((string?)expected)?.ToLowerInvariant(), actual);
                else Assert.True(Equals(expected, actual), $"{field.Name}: {expected} written, {actual} read back, of {parsed.RawJson}");
            }
        }
    }

    private static object? Value(object owner, string property) => owner.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)!.GetValue(owner);
}
