using System.Text.Json.Nodes;

namespace Sobot.Emulator.Tests;

/// <summary>Closing the loop: where messages end (failed, delivered, read), when their statuses arrive, and customers' answers.</summary>
public class StatusAndReplyTests
{
    private const string Number = "919970585556";
    private const string Template = """{"customer_number":"919970585556","customer_name":"Asha","template_name":"hello_world","template_lang":"en"}""";

    private static async Task<string> SendAsync(Emulator e, string json = Template)
    {
        var (status, body) = await e.PostAsync("message/", json);
        Assert.Equal(200, status);
        return body["data"]!["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> StatsAsync(Emulator e) => JsonNode.Parse(await e.Bare.GetStringAsync("_emulator/stats"))!;

    /// <summary>The emulator's stats once <paramref name="done"/> holds for them (or as they are after 60 s: the caller's assertions say what is missing).</summary>
    private static async Task<JsonNode> StatsOnceAsync(Emulator e, Func<JsonNode, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        var stats = await StatsAsync(e);
        while (!done(stats) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(20);
            stats = await StatsAsync(e);
        }
        return stats;
    }

    private static string[] StatusesOf(IEnumerable<JsonNode> posted, string id) =>
        posted.Where(p => p is JsonObject o && o["id"]?.GetValue<string>() == id)
            .OrderBy(p => long.Parse(p["timestamp"]!.GetValue<string>())).Select(p => p["status"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Webhooks_pending_counts_the_post_in_flight_until_it_has_ended()
    {
        // A script waits for webhooks_pending to reach 0 before it reads what arrived: the post still on its way must
        // count, or the last webhook is missed by a reader faster than the endpoint.
        await using var receiver = await WebhookReceiver.StartAsync();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Hold = hold;
        try
        {
            await using var e = await Emulator.StartAsync(o => o.WebhookUrl = receiver.Url);
            await SendAsync(e);
            Assert.NotEmpty(await receiver.WaitForAsync(1));   // the first status is being posted, and held
            long whileHeld = (await StatsAsync(e))["webhooks_pending"]!.GetValue<long>();
            hold.SetResult();
            var stats = await StatsOnceAsync(e, s => s["webhooks_pending"]!.GetValue<long>() == 0);
            Assert.Equal(0, stats["webhooks_pending"]!.GetValue<long>());
            // Every status of the message was pending while the first was held: the one in flight and those queued. (A
            // post held past the emulator's 10 s timeout on a very slow machine counts as failed: it has ended too.)
            Assert.Equal(whileHeld, stats["webhooks_delivered"]!.GetValue<long>() + stats["webhooks_failed"]!.GetValue<long>());
            Assert.Equal(whileHeld, receiver.Bodies.Count);
        }
        finally { hold.TrySetResult(); }
    }

    [Fact]
    public async Task A_failed_message_gets_sent_then_failed_with_whatsapps_error_and_the_recipient()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var e = await Emulator.StartAsync(o => { o.WebhookUrl = receiver.Url; o.FailedRate = 1; });
        string id = await SendAsync(e);
        var posted = await receiver.WaitForAsync(2);
        Assert.Equal(["sent", "failed"], StatusesOf(posted, id));
        var failed = posted.Single(p => p["status"]!.GetValue<string>() == "failed");
        Assert.Equal(Number, failed["recipient_id"]!.GetValue<string>());
        Assert.Equal((131026, "Message undeliverable"), (failed["errors"]![0]!["code"]!.GetValue<int>(), failed["errors"]![0]!["title"]!.GetValue<string>()));
        Assert.Null(posted.Single(p => p["status"]!.GetValue<string>() == "sent")["errors"]);
        Assert.Equal("failed", (await e.MessagesAsync())[0]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Shares_of_failed_and_read_are_drawn_per_message_and_counted_in_stats()
    {
        await using var e = await Emulator.StartAsync(o => { o.FailedRate = 0.3; o.ReadRate = 0.5; o.RandomSeed = 11; });
        for (int i = 0; i < 200; i++) await SendAsync(e);
        var statuses = (await StatsAsync(e))["statuses"]!;
        var outcomes = (await e.MessagesAsync()).GroupBy(m => m!["outcome"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(200, statuses["sent"]!.GetValue<long>());
        Assert.Equal(outcomes["failed"], statuses["failed"]!.GetValue<long>());
        Assert.Equal(outcomes["read"], statuses["read"]!.GetValue<long>());
        Assert.Equal(outcomes["read"] + outcomes["delivered"], statuses["delivered"]!.GetValue<long>());
        Assert.InRange(outcomes["failed"], 30, 90);
        Assert.InRange(outcomes["read"], 50, 90);   // half of the ~140 delivered
    }

    [Fact]
    public async Task A_read_rate_of_zero_stops_at_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var e = await Emulator.StartAsync(o => { o.WebhookUrl = receiver.Url; o.ReadRate = 0; });
        string id = await SendAsync(e);
        Assert.Equal(["sent", "delivered"], StatusesOf(await receiver.WaitForAsync(2), id));
        // A marker after them through the same queue (one poster, in order): a read status, had the send queued one with
        // the others, would have arrived before the marker does.
        Assert.Equal(200, (await e.ControlAsync("reply", new { customerNumber = Number, text = "marker" })).Status);
        var posted = await receiver.WaitForAsync(bodies => bodies.Any(b => b is JsonArray));
        Assert.Equal(3, posted.Count);
        Assert.IsType<JsonArray>(posted[2]);
        Assert.Equal(["sent", "delivered"], StatusesOf(posted, id));
    }

    [Fact]
    public async Task Each_status_waits_its_delay_after_the_step_before()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var e = await Emulator.StartAsync(o => { o.WebhookUrl = receiver.Url; o.StatusDelays = new StatusDelays(150, 150, 300); });
        var started = DateTimeOffset.UtcNow;
        string id = await SendAsync(e);
        var posted = await receiver.WaitForAsync(3);
        Assert.Equal(["sent", "delivered", "read"], StatusesOf(posted, id));
        // Lower bounds only, from before the send: load can only make a status later, never earlier. How late is no
        // test's business (a check that statuses were still pending right after the send failed when the machine was slow).
        var at = receiver.ArrivedAt.Select(t => (t - started).TotalMilliseconds).ToArray();
        Assert.True(at[0] >= 140 && at[1] >= 290 && at[2] >= 590, string.Join(", ", at));
    }

    [Fact]
    public async Task Failed_webhook_posts_are_counted_with_their_reason_and_not_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var e = await Emulator.StartAsync(o => o.WebhookUrl = receiver.Url.Replace("/hook", "/missing"));
        await SendAsync(e);
        // A customer's message after the three statuses, through the same queue and poster, fails the same way: once it
        // has failed, a status post retried at once would have been counted before it.
        Assert.Equal(200, (await e.ControlAsync("reply", new { customerNumber = Number, text = "marker" })).Status);
        // Waits until nothing is left to post and at least the four have failed: a poster that retried would have
        // more than four failures by then, so stopping at the first count of four could not tell.
        var stats = await StatsOnceAsync(e, s => s["webhooks_pending"]!.GetValue<long>() == 0 && s["webhooks_failed"]!.GetValue<long>() >= 4);
        Assert.Equal(4, stats["webhooks_failed"]!.GetValue<long>());
        Assert.Equal(0, stats["webhooks_delivered"]!.GetValue<long>());
        Assert.Contains("answered 404", stats["webhook_errors"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reply_to_a_message_posts_the_inbound_webhook_with_context_and_opens_the_window()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var e = await Emulator.StartAsync(o => { o.WebhookUrl = receiver.Url; o.ReadRate = 0; });
        string question = await SendAsync(e);
        Assert.Equal(400, (await e.PostAsync("message/", """{"customer_number":"919970585556","customer_name":"Asha","type":"text","message":"Hi"}""")).Status);

        var (status, answer) = await e.ControlAsync("reply", new { messageId = question, text = "Yes", context = true });

        Assert.Equal(200, status);
        Assert.True(answer["webhookQueued"]!.GetValue<bool>());
        string id = answer["id"]!.GetValue<string>();
        Assert.StartsWith("wamid.", id);
        Assert.Equal(Number, answer["customerNumber"]!.GetValue<string>());
        var posted = (await receiver.WaitForAsync(3)).Single(p => p is JsonArray);
        Assert.Equal(answer["payload"]!.ToJsonString(), posted.ToJsonString());
        var message = posted[0]!["value"]!["messages"]![0]!;
        Assert.Equal((id, Number, "text", "Yes"), (message["id"]!.GetValue<string>(), message["from"]!.GetValue<string>(), message["type"]!.GetValue<string>(), message["text"]!["body"]!.GetValue<string>()));
        Assert.Equal((question, "918788000000"), (message["context"]!["id"]!.GetValue<string>(), message["context"]!["from"]!.GetValue<string>()));
        Assert.Equal("Asha", posted[0]!["value"]!["contacts"]![0]!["profile"]!["name"]!.GetValue<string>());

        Assert.Equal(200, (await e.PostAsync("message/", """{"customer_number":"919970585556","customer_name":"Asha","type":"text","message":"Done"}""")).Status);
        var inbound = JsonNode.Parse(await e.Bare.GetStringAsync("_emulator/inbound"))!.AsArray();
        Assert.Equal(id, Assert.Single(inbound)!["id"]!.GetValue<string>());
        Assert.Equal(1, (await StatsAsync(e))["inbound"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_reply_without_context_leaves_it_out_and_stop_goes_through_as_text()
    {
        await using var e = await Emulator.StartAsync();
        var (status, answer) = await e.ControlAsync("reply", new { customerNumber = "919960123456", text = "STOP", name = "John" });
        Assert.Equal(200, status);
        Assert.False(answer["webhookQueued"]!.GetValue<bool>());
        var value = answer["payload"]![0]!["value"]!;
        Assert.Null(value["messages"]![0]!["context"]);
        Assert.Equal(("STOP", "John"), (value["messages"]![0]!["text"]!["body"]!.GetValue<string>(), value["contacts"]![0]!["profile"]!["name"]!.GetValue<string>()));
        Assert.True(e.Host.State.WindowOpen("919960123456"));
    }

    [Fact]
    public async Task Button_presses_take_the_shape_of_the_message_they_answer()
    {
        await using var e = await Emulator.StartAsync(o => o.NoWindow = true);
        string quick = await SendAsync(e, """{"customer_number":"919970585556","customer_name":"Asha","type":"quick_reply","message":"Clear the cache?","buttons":["Yes","No"]}""");
        string list = await SendAsync(e, """{"customer_number":"919970585556","customer_name":"Asha","type":"list","message":"Pick","list_obj":{"button":"Days","sections":[{"title":"Week","rows":[{"id":"mon","title":"Monday"}]}]}}""");
        string text = await SendAsync(e, """{"customer_number":"919970585556","customer_name":"Asha","type":"text","message":"Plain"}""");

        JsonNode Message(JsonNode answer) => answer["payload"]![0]!["value"]!["messages"]![0]!;
        var pressed = Message((await e.ControlAsync("reply", new { messageId = quick, buttonText = "No" })).Body);
        Assert.Equal(("interactive", "button_reply", "No", "No"), (pressed["type"]!.GetValue<string>(), pressed["interactive"]!["type"]!.GetValue<string>(),
            pressed["interactive"]!["button_reply"]!["id"]!.GetValue<string>(), pressed["interactive"]!["button_reply"]!["title"]!.GetValue<string>()));
        var picked = Message((await e.ControlAsync("reply", new { messageId = list, buttonText = "Monday" })).Body);
        Assert.Equal(("list_reply", "mon"), (picked["interactive"]!["type"]!.GetValue<string>(), picked["interactive"]!["list_reply"]!["id"]!.GetValue<string>()));

        var (wrong, why) = await e.ControlAsync("reply", new { messageId = quick, buttonText = "Maybe" });
        Assert.Equal(400, wrong);
        Assert.Contains("Yes, No", why["message"]!.GetValue<string>());
        Assert.Equal(400, (await e.ControlAsync("reply", new { messageId = text, buttonText = "Yes" })).Status);
    }

    [Fact]
    public async Task Button_and_list_presses_quote_the_message_pressed_as_WhatsApp_does_unless_turned_off()
    {
        await using var e = await Emulator.StartAsync(o => o.NoWindow = true);
        string quick = await SendAsync(e, """{"customer_number":"919970585556","customer_name":"Asha","type":"quick_reply","message":"Clear the cache?","buttons":["Yes","No"]}""");
        string list = await SendAsync(e, """{"customer_number":"919970585556","customer_name":"Asha","type":"list","message":"Pick","list_obj":{"button":"Days","sections":[{"title":"Week","rows":[{"id":"mon","title":"Monday"}]}]}}""");
        var example = Sobot.TestSupport.ContractExamples.Get("template-create-quick-reply");
        Assert.Equal(201, (await e.SendAsync(HttpMethod.Post, example.Path!, example.Body.ToJsonString())).Status);
        Assert.Equal(200, (await e.ControlAsync("templates/feedback_ask/status", new { status = 1 })).Status);
        string template = await SendAsync(e, """{"customer_number":"919970585556","customer_name":"Asha","template_name":"feedback_ask","template_lang":"en"}""");

        async Task<JsonNode?> ContextOf(object reply) => (await e.ControlAsync("reply", reply)).Body["payload"]![0]!["value"]!["messages"]![0]!["context"];
        foreach (var (question, press) in new[] { (quick, "Yes"), (list, "Monday"), (template, "Yes") })
        {
            var context = await ContextOf(new { messageId = question, buttonText = press });
            Assert.Equal((question, "918788000000"), (context?["id"]?.GetValue<string>(), context?["from"]?.GetValue<string>()));
            // Off on request, to test what a client does with a press that does not say which message it answers.
            Assert.Null(await ContextOf(new { messageId = question, buttonText = press, context = false }));
        }
        // A typed answer quotes the message only when the customer chose to (WhatsApp's swipe to reply).
        Assert.Null(await ContextOf(new { messageId = quick, text = "yes" }));
        Assert.Equal(quick, (await ContextOf(new { messageId = quick, text = "yes", context = true }))?["id"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"text":"Hi"}""", 400)]
    [InlineData("""{"customerNumber":"919970585556"}""", 400)]
    [InlineData("""{"customerNumber":"919970585556","text":"a","buttonText":"b"}""", 400)]
    [InlineData("""{"customerNumber":"919970585556","text":"a","context":true}""", 400)]
    [InlineData("""{"customerNumber":"12ab","text":"a"}""", 400)]
    [InlineData("""{"customerNumber":"919970585556","text":"a","mood":"happy"}""", 400)]
    [InlineData("""{"messageId":"wamid.unknown","text":"a"}""", 404)]
    public async Task Replies_that_cannot_be_made_are_refused(string json, int expected)
    {
        await using var e = await Emulator.StartAsync();
        using var response = await e.Bare.PostAsync("_emulator/reply", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(expected, (int)response.StatusCode);
    }

    [Fact]
    public async Task The_window_counts_from_the_replys_own_timestamp()
    {
        await using var e = await Emulator.StartAsync();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(200, (await e.ControlAsync("reply", new { customerNumber = "919960000001", text = "old", timestamp = now - 25 * 3600 })).Status);
        Assert.Equal(200, (await e.ControlAsync("reply", new { customerNumber = "919960000002", text = "recent", timestamp = (now - 23 * 3600).ToString() })).Status);
        Assert.False(e.Host.State.WindowOpen("919960000001"));
        Assert.True(e.Host.State.WindowOpen("919960000002"));
    }
}
