using System.Text.Json;
using System.Text.Json.Nodes;
using Sobot.TestSupport;

namespace Sobot.Emulator.Tests;

/// <summary>The documented example bodies of tests/contract-examples against the emulator.</summary>
public class ContractExampleTests
{
    private const string Customer = "919970585556";

    public static TheoryData<string> Requests => new(ContractExamples.All().Where(e => !e.IsWebhook).Select(e => e.Name));

    [Fact]
    public void The_examples_cover_every_documented_request_kind()
    {
        var names = ContractExamples.All().Select(e => e.Name).ToList();
        foreach (var kind in new[] { "send-text", "send-image", "send-sticker-as-documented", "send-video", "send-document", "send-location",
                     "send-quick-reply", "send-list", "send-product-single", "send-product-multi", "send-template-body-params",
                     "send-template-media-header", "send-template-dynamic-url-button", "template-create-cta-example-webiste",
                     "customer-add", "customer-update", "webhook-inbound-text", "webhook-status" })
            Assert.Contains(kind, names);
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task The_emulator_accepts_each_documented_request(string name)
    {
        var example = ContractExamples.Get(name);
        await using var e = await Emulator.StartAsync();
        await e.OpenWindowAsync(Customer);
        if (example.Method == "PUT") Assert.Equal(201, (await Send(e, ContractExamples.Get("customer-add"))).Status);

        var (status, body) = await Send(e, example);

        Assert.True(status is 200 or 201, $"{name}: {status} {body.ToJsonString()}");
        Assert.Equal(status, body["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_same_requests_are_refused_on_a_path_the_contract_does_not_show()
    {
        await using var e = await Emulator.StartAsync();
        await e.OpenWindowAsync(Customer);
        foreach (var example in ContractExamples.All().Where(x => !x.IsWebhook))
        {
            string other = example.Path!.EndsWith('/') ? example.Path.TrimEnd('/') : example.Path + "/";
            var (status, _) = await Send(e, example with { Path = other });
            Assert.True(status == 404, $"{example.Name} at {other}: {status}");
        }
    }

    /// <summary>Each webhook the emulator posts has the keys of the documented example of its kind, at every level.</summary>
    [Fact]
    public async Task The_emulators_webhooks_have_the_documented_shapes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var e = await Emulator.StartAsync(o => { o.WebhookUrl = receiver.Url; o.ReadRate = 1; });
        await e.OpenWindowAsync(Customer);
        var question = await Send(e, ContractExamples.Get("send-quick-reply"));
        string questionId = question.Body["data"]!["id"]!.GetValue<string>();
        var list = await Send(e, ContractExamples.Get("send-list"));
        var answers = new Dictionary<string, JsonNode>
        {
            ["webhook-inbound-text"] = (await e.ControlAsync("reply", new { customerNumber = Customer, text = "Hi" })).Body["payload"]!,
            ["webhook-inbound-button-reply"] = (await e.ControlAsync("reply", new { messageId = questionId, buttonText = "Yes", context = true })).Body["payload"]!,
            ["webhook-inbound-list-reply"] = (await e.ControlAsync("reply", new { messageId = list.Body["data"]!["id"]!.GetValue<string>(), buttonText = "Monday" })).Body["payload"]!,
        };
        // A template with quick replies, pressed; then a message that fails.
        Assert.Equal(201, (await Send(e, ContractExamples.Get("template-create-quick-reply"))).Status);
        Assert.Equal(200, (await e.ControlAsync("templates/feedback_ask/status", new { status = 1 })).Status);
        var asked = await e.PostAsync("message/", $$"""{"customer_number":"{{Customer}}","customer_name":"Asha","template_name":"feedback_ask","template_lang":"en"}""");
        answers["webhook-inbound-template-button"] = (await e.ControlAsync("reply", new { messageId = asked.Body["data"]!["id"]!.GetValue<string>(), buttonText = "Yes" })).Body["payload"]!;
        Assert.Equal(200, (await e.ControlAsync("faults", new { failed_rate = 1 })).Status);
        await Send(e, ContractExamples.Get("send-text"));

        // The window's message, two sends' three statuses each, three answers, the template's statuses and its
        // answer, then sent and failed: waiting for fewer let the run go on before the failed status arrived.
        var posted = await receiver.WaitForAsync(1 + 3 + 3 + 3 + 3 + 1 + 2);
        JsonNode Status(string status) => posted.First(p => p is JsonObject o && o["status"]?.GetValue<string>() == status);
        answers["webhook-status"] = Status("delivered");
        answers["webhook-status-failed"] = Status("failed");

        foreach (var (name, actual) in answers)
            Assert.Equal(Shape(ContractExamples.Get(name).Body), Shape(actual));
        // Every webhook example is matched above, except a customer's media, which the emulator does not make.
        Assert.Equal(ContractExamples.All().Where(x => x.IsWebhook).Select(x => x.Name).Order().ToList(),
            answers.Keys.Append("webhook-inbound-video-under-image-key").Order().ToList());
    }

    private static Task<(int Status, JsonNode Body)> Send(Emulator e, ContractExample example) =>
        e.SendAsync(new HttpMethod(example.Method!), example.Path!, example.Body.ToJsonString());

    /// <summary>The keys at every level (an array by its first item) and the kind of each value, not the values.</summary>
    internal static string Shape(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Shape(p.Value))) + "}",
        JsonArray a => "[" + (a.Count > 0 ? Shape(a[0]) : "") + "]",
        JsonValue v => v.GetValueKind() == JsonValueKind.String ? "s" : v.GetValueKind() == JsonValueKind.Number ? "n" : "b",
        _ => "null",
    };
}
