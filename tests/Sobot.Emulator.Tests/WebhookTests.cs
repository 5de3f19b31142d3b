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

    [Fact]
    public void Secret_knobs_come_from_the_environment_too_and_the_command_line_wins()
    {
        var environment = new Dictionary<string, string>
        {
            ["SOBOT_EMULATOR_WEBHOOK_URL"] = "http://127.0.0.1:9/webhook/tok_0123456789abcdefghij",
            ["SOBOT_EMULATOR_ACCESS_KEY"] = "ak-from-env",
            ["SOBOT_EMULATOR_SECRET_KEY"] = "sk-from-env",
            ["SOBOT_EMULATOR_FAIL_RATE"] = "1",   // not a secret: only the command line sets it
        };
        var o = EmulatorOptions.Parse(["--access-key", "ak-from-line"], environment.GetValueOrDefault);
        Assert.Equal(("http://127.0.0.1:9/webhook/tok_0123456789abcdefghij", "ak-from-line", "sk-from-env", 0.0), (o.WebhookUrl, o.AccessKey, o.SecretKey, o.FailRate));
        Assert.Equal(["--access-key", "--secret-key", "--webhook-url"], EmulatorKnobs.All.Where(k => k.Secret).Select(k => k.Flag).Order());
        Assert.Contains("SOBOT_EMULATOR_WEBHOOK_URL", EmulatorOptions.Usage);
        // Without the environment reader (in-process hosts, tests), nothing comes from the environment.
        Assert.Null(EmulatorOptions.Parse([]).WebhookUrl);
    }

    [Fact]
    public void A_webhook_url_from_the_environment_that_does_not_fit_is_refused_without_repeating_it()
    {
        var ex = Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse([], name => name == "SOBOT_EMULATOR_WEBHOOK_URL" ? "ftp://x/webhook/tok_secret_secret_secret" : null));
        Assert.Contains("SOBOT_EMULATOR_WEBHOOK_URL", ex.Message);
        Assert.DoesNotContain("tok_secret", ex.Message);
    }

    [Fact]
    public async Task The_control_api_shows_the_webhook_url_with_its_token_masked()
    {
        const string token = "tok_0123456789abcdefWXYZ";
        await using var e = await Emulator.StartAsync(o => o.WebhookUrl = "http://127.0.0.1:9/webhook/" + token);
        string knobs = await e.Bare.GetStringAsync("_emulator/faults");
        Assert.Contains("http://127.0.0.1:9/webhook/****WXYZ", knobs);
        Assert.DoesNotContain(token, knobs);
    }

    [Fact]
    public async Task A_failed_post_is_reported_with_the_token_of_the_webhook_url_masked()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        const string token = "tok_0123456789abcdefWXYZ";
        await using var e = await Emulator.StartAsync(o => o.WebhookUrl = receiver.Url.Replace("/hook", "/webhook/" + token));
        (await e.Bare.PostAsJsonAsync("_emulator/inbound", new { from = "919960123456", text = "Hi" })).EnsureSuccessStatusCode();
        System.Text.Json.Nodes.JsonNode stats;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(50);
            stats = System.Text.Json.Nodes.JsonNode.Parse(await e.Bare.GetStringAsync("_emulator/stats"))!;
        } while (stats["webhooks_failed"]!.GetValue<long>() < 1 && DateTime.UtcNow < deadline);
        string reason = stats["webhook_errors"]![0]!["reason"]!.GetValue<string>();
        Assert.Contains("/webhook/****WXYZ answered 404", reason);
        Assert.DoesNotContain(token, reason);
    }
}
