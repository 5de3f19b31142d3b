using System.Net.Http.Json;

namespace Sobot.Emulator.Tests;

public class WebhookTests
{
    [Fact]
    public async Task Posts_sent_delivered_and_read_for_each_accepted_message()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var e = await Emulator.StartAsync(o => o.WebhookUrl = receiver.Url);
        var (_, body) = await e.PostAsync("message/", """{"customer_number":"919970585556","customer_name":"A","template_name":"hello_world","template_lang":"en"}""");
        string wamid = body["data"]!["id"]!.GetValue<string>();
        var statuses = await receiver.WaitForAsync(3);
        Assert.Equal(3, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(wamid, s["id"]!.GetValue<string>()));
        Assert.Equal(["sent", "delivered", "read"], statuses.OrderBy(s => long.Parse(s["timestamp"]!.GetValue<string>())).Select(s => s["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Posts_inbound_messages_in_the_documented_shape()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var e = await Emulator.StartAsync(o => o.WebhookUrl = receiver.Url);
        (await e.Bare.PostAsJsonAsync("_emulator/inbound", new { from = "919960123456", name = "John", text = "Hi" })).EnsureSuccessStatusCode();
        var payload = Assert.Single(await receiver.WaitForAsync(1)).AsArray();
        var value = payload[0]!["value"]!;
        Assert.Equal("messages", payload[0]!["field"]!.GetValue<string>());
        Assert.Equal("whatsapp", value["messaging_product"]!.GetValue<string>());
        Assert.Equal("John", value["contacts"]![0]!["profile"]!["name"]!.GetValue<string>());
        var message = value["messages"]![0]!;
        Assert.Equal(("919960123456", "text", "Hi"), (message["from"]!.GetValue<string>(), message["type"]!.GetValue<string>(), message["text"]!["body"]!.GetValue<string>()));
    }

    [Fact]
    public void Webhook_url_must_be_absolute_http()
    {
        Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse(["--webhook-url", "not-a-url"]));
        Assert.Equal("http://127.0.0.1:9/hook", EmulatorOptions.Parse(["--webhook-url", "http://127.0.0.1:9/hook"]).WebhookUrl);
    }
}
