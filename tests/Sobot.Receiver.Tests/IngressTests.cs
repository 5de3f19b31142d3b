using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Sobot.Receiver.Store.Sqlite;

namespace Sobot.Receiver.Tests;

public class IngressTests
{
    [Fact]
    public async Task The_documented_inbound_text_is_stored_with_its_fields()
    {
        await using var r = await Receiver.StartAsync();
        Assert.Equal((1, 0), await r.DeliverAsync(Payloads.InboundText));
        var e = Assert.Single(await r.EventsAsync());
        Assert.Equal("inbound", (string)e!["type"]!);
        Assert.Equal(1L, (long)e["seq"]!);
        Assert.Equal(("wamid.TEXT1", "919960123456", "John", "text", "Hi", "918788000000"),
            ((string)e["messageId"]!, (string)e["from"]!, (string)e["name"]!, (string)e["messageType"]!, (string)e["text"]!, (string)e["displayPhoneNumber"]!));
        Assert.Equal("2023-08-25T06:37:30.000Z", (string)e["timestamp"]!);
        Assert.Contains("\"body\":\"Hi\"", (string)e["raw"]!);
    }

    [Fact]
    public async Task A_video_whose_media_sits_under_the_image_key_keeps_its_media()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync(Payloads.VideoUnderImageKey);
        var e = Assert.Single(await r.EventsAsync());
        Assert.Equal("video", (string)e!["messageType"]!);
        Assert.Equal(("777", "video/mp4", "https://lookaside.example/777"),
            ((string)e["media"]!["id"]!, (string)e["media"]!["mimeType"]!, (string)e["media"]!["url"]!));
    }

    [Fact]
    public async Task A_status_alone_and_statuses_in_an_array_are_one_event_each()
    {
        await using var r = await Receiver.StartAsync();
        Assert.Equal((1, 0), await r.DeliverAsync(Payloads.Status("wamid.A", "sent", 100)));
        Assert.Equal((3, 0), await r.DeliverAsync(Payloads.Array(
            Payloads.Status("wamid.A", "delivered", 101), Payloads.Status("wamid.B", "sent", 102), Payloads.Failed("wamid.C", 103, "919960000001"))));
        var events = await r.EventsAsync("type=status");
        Assert.Equal(["sent", "delivered", "sent", "failed"], events.Select(e => (string)e!["status"]!));
        var failed = events[3]!;
        Assert.Equal((131026, "Message undeliverable", "919960000001"), ((int)failed["errorCode"]!, (string)failed["errorTitle"]!, (string)failed["recipientId"]!));
        Assert.Equal(2, r.CountRows("bodies"));
    }

    [Fact]
    public async Task Statuses_inside_a_messages_entry_are_read_too()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync("""[{"field":"messages","value":{"statuses":[{"id":"wamid.E","status":"read","timestamp":"9","recipient_id":"9199"}]}}]""");
        var e = Assert.Single(await r.EventsAsync());
        Assert.Equal(("status", "read", "9199"), ((string)e!["type"]!, (string)e["status"]!, (string)e["recipientId"]!));
    }

    [Fact]
    public async Task Button_replies_with_and_without_context()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync(Payloads.ButtonReply("wamid.R1", "919960123456", "Yes", contextId: "wamid.QUESTION"));
        await r.DeliverAsync(Payloads.ButtonReply("wamid.R2", "919960123456", "No", contextId: null));
        await r.DeliverAsync(Payloads.TemplateButton("wamid.R3", "919960123456", "Stop"));
        var events = await r.EventsAsync("type=inbound");
        Assert.Equal(("Yes", "btn-Yes", "wamid.QUESTION", "918788000000"),
            ((string)events[0]!["buttonText"]!, (string)events[0]!["buttonPayload"]!, (string)events[0]!["replyToMessageId"]!, (string)events[0]!["contextFrom"]!));
        Assert.Equal("No", (string)events[1]!["buttonText"]!);
        Assert.Null(events[1]!["replyToMessageId"]);
        Assert.Equal(("button", "Stop", "p-Stop"), ((string)events[2]!["messageType"]!, (string)events[2]!["buttonText"]!, (string)events[2]!["buttonPayload"]!));
    }

    [Theory]
    [InlineData("<html>not json</html>")]
    [InlineData("{\"truncated\":")]
    [InlineData("")]
    public async Task A_body_that_is_not_json_is_stored_as_an_unknown_event_and_answered_200(string body)
    {
        await using var r = await Receiver.StartAsync();
        Assert.Equal((1, 0), await r.DeliverAsync(body));
        var e = Assert.Single(await r.EventsAsync());
        Assert.Equal(("unknown", body), ((string)e!["type"]!, (string)e["raw"]!));
    }

    [Fact]
    public async Task An_unknown_shape_is_kept_whole()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync("""{"hello":"world","n":[1,2]}""");
        var e = Assert.Single(await r.EventsAsync());
        Assert.Equal(("unknown", """{"hello":"world","n":[1,2]}"""), ((string)e!["type"]!, (string)e["raw"]!));
    }

    [Fact]
    public async Task An_empty_array_is_answered_200_and_its_body_kept_with_no_events()
    {
        await using var r = await Receiver.StartAsync();
        Assert.Equal((0, 0), await r.DeliverAsync("[]"));
        Assert.Empty(await r.EventsAsync());
        Assert.Equal(1, r.CountRows("bodies"));
    }

    [Fact]
    public async Task The_raw_body_is_kept_byte_for_byte()
    {
        await using var r = await Receiver.StartAsync();
        // Odd spacing, escapes, a BOM-less multi-byte text and a trailing newline: nothing may be normalised.
        byte[] body = Encoding.UTF8.GetBytes("[ {\"id\" : \"wamid.\\u0041\",\"status\":\"read\" ,\"timestamp\":\"5\", \"x\":\"नमस्ते 👍\"} ]\n");
        using (var response = await r.PostWebhookAsync(body)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var connection = new SqliteConnection($"Data Source={r.StorePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM bodies";
        Assert.Equal(body, (byte[])command.ExecuteScalar()!);
    }

    [Fact]
    public async Task The_same_event_posted_twice_is_stored_once()
    {
        await using var r = await Receiver.StartAsync();
        Assert.Equal((1, 0), await r.DeliverAsync(Payloads.InboundText));
        Assert.Equal((0, 1), await r.DeliverAsync(Payloads.InboundText));
        Assert.Equal((1, 0), await r.DeliverAsync(Payloads.Status("wamid.D", "sent", 1)));
        Assert.Equal((1, 1), await r.DeliverAsync(Payloads.Array(Payloads.Status("wamid.D", "sent", 1), Payloads.Status("wamid.D", "read", 2))));
        Assert.Equal((1, 0), await r.DeliverAsync("not json"));
        Assert.Equal((0, 1), await r.DeliverAsync("not json"));
        Assert.Equal(4, (await r.EventsAsync()).Count);
        Assert.Equal(6, r.CountRows("bodies"));
    }

    [Fact]
    public async Task Exactly_3_MB_is_accepted_and_one_byte_more_is_413_with_nothing_stored()
    {
        await using var r = await Receiver.StartAsync();
        const int limit = 3 * 1024 * 1024;
        using (var response = await r.PostWebhookAsync(PaddedStatus("wamid.BIG", limit)))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var response = await r.PostWebhookAsync(PaddedStatus("wamid.BIGGER", limit + 1)))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var e = Assert.Single(await r.EventsAsync());
        Assert.Equal("wamid.BIG", (string)e!["messageId"]!);
        Assert.Equal(1, r.CountRows("bodies"));
    }

    [Fact]
    public async Task A_chunked_body_over_3_MB_is_413_too()
    {
        await using var r = await Receiver.StartAsync();
        // A stream of unknown length goes out chunked, without Content-Length: the limit must hold while reading.
        var content = new StreamContent(new NonSeekableStream(PaddedStatus("wamid.CHUNKED", 3 * 1024 * 1024 + 1)));
        using var response = await r.Ingress.PostAsync(r.WebhookPath, content);
        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, r.CountRows("bodies"));
    }

    [Fact]
    public async Task The_limit_counts_payload_not_chunk_framing_3_140_000_bytes_in_1000_byte_chunks_are_stored()
    {
        await using var r = await Receiver.StartAsync();
        // 3,140 chunks of 1,000 bytes: 3,161,985 bytes on the wire with their framing, over 3 MB; the payload is not.
        byte[] payload = PaddedStatus("wamid.CHUNKS", 3_140_000);
        Assert.Equal(200, await RawChunkedPost.SendAsync(r.Host.IngressUrl, r.WebhookPath, payload, 1000));
        var e = Assert.Single(await r.EventsAsync());
        Assert.Equal("wamid.CHUNKS", (string)e!["messageId"]!);
        using var connection = new SqliteConnection($"Data Source={r.StorePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT length(body) FROM bodies";
        Assert.Equal(3_140_000L, (long)command.ExecuteScalar()!);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(65536)]
    [InlineData(3 * 1024 * 1024 + 1)]
    public async Task Three_MB_and_one_byte_of_payload_is_413_in_any_chunk_size(int chunkSize)
    {
        await using var r = await Receiver.StartAsync();
        Assert.Equal(413, await RawChunkedPost.SendAsync(r.Host.IngressUrl, r.WebhookPath, PaddedStatus("wamid.OVER", 3 * 1024 * 1024 + 1), chunkSize));
        Assert.Equal(0, r.CountRows("bodies"));
        // And exactly 3 MB in the same framing is taken.
        Assert.Equal(200, await RawChunkedPost.SendAsync(r.Host.IngressUrl, r.WebhookPath, PaddedStatus("wamid.EXACT", 3 * 1024 * 1024), chunkSize));
        Assert.Equal("wamid.EXACT", (string)Assert.Single(await r.EventsAsync())!["messageId"]!);
    }

    [Fact]
    public async Task A_wrong_token_is_404_stores_nothing_and_the_logs_never_show_the_token()
    {
        await using var r = await Receiver.StartAsync();
        string nearMiss = Receiver.Token[..^1] + "X";
        foreach (var path in new[] { "webhook/" + nearMiss, "webhook/", "webhook/" + Receiver.Token + "/extra", "webhook" })
        {
            using var response = await r.Ingress.PostAsync(path, new StringContent(Payloads.InboundText));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Equal(0, r.CountRows("bodies"));
        await r.DeliverAsync(Payloads.InboundText);
        Assert.NotEmpty(r.Logs.Lines);
        Assert.DoesNotContain(r.Logs.Lines, line => line.Contains(Receiver.Token) || line.Contains(Receiver.QueryKey) || line.Contains(nearMiss));
    }

    [Fact]
    public async Task The_ingress_answers_nothing_but_the_webhook_and_healthz()
    {
        await using var r = await Receiver.StartAsync();
        using (var get = await r.Ingress.GetAsync(r.WebhookPath)) Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using (var put = await r.Ingress.PutAsync(r.WebhookPath, new StringContent("[]"))) Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        var keyed = new HttpRequestMessage(HttpMethod.Get, "v1/events");
        keyed.Headers.Add("x-receiver-key", Receiver.QueryKey);
        using (var events = await r.Ingress.SendAsync(keyed)) Assert.Equal(HttpStatusCode.NotFound, events.StatusCode);
        using (var root = await r.Ingress.GetAsync("")) Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        using (var health = await r.Ingress.GetAsync("healthz")) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        // And the query listener does not take webhooks.
        using (var hook = await r.Query.PostAsync(r.WebhookPath, new StringContent(Payloads.InboundText))) Assert.Equal(HttpStatusCode.NotFound, hook.StatusCode);
        Assert.Equal(0, r.CountRows("bodies"));
    }

    [Fact]
    public async Task When_the_store_cannot_commit_the_answer_is_503_never_200()
    {
        await using var r = await Receiver.StartAsync(storeOptions: new SqliteStoreOptions("unused") { BusyTimeoutSeconds = 1 });
        await r.DeliverAsync(Payloads.Status("wamid.BEFORE", "sent", 1));
        using (var blocker = new SqliteConnection($"Data Source={r.StorePath};Pooling=False"))
        {
            blocker.Open();
            using var tx = blocker.BeginTransaction(deferred: false);   // holds SQLite's write lock
            using var response = await r.PostWebhookAsync(Payloads.Status("wamid.BLOCKED", "sent", 2));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            tx.Rollback();
        }
        await r.DeliverAsync(Payloads.Status("wamid.AFTER", "sent", 3));
        Assert.Equal(["wamid.BEFORE", "wamid.AFTER"], (await r.EventsAsync()).Select(e => (string)e!["messageId"]!));
    }

    [Fact]
    public async Task Concurrent_posts_all_get_200_and_distinct_ascending_seqs()
    {
        await using var r = await Receiver.StartAsync();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async poster =>
        {
            for (int i = 0; i < 25; i++) await r.DeliverAsync(Payloads.Status($"wamid.C{poster}-{i}", "delivered", i));
        }));
        var seqs = new List<long>();
        long after = 0;
        while (true)
        {
            var page = await r.GetJsonAsync($"v1/events?after={after}&limit=300");
            var events = page["events"]!.AsArray();
            if (events.Count == 0) break;
            seqs.AddRange(events.Select(e => (long)e!["seq"]!));
            after = (long)page["next"]!;
        }
        Assert.Equal(800, seqs.Count);
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(800, seqs.Distinct().Count());
    }

    private static byte[] PaddedStatus(string id, int totalBytes)
    {
        string head = "{\"id\":\"" + id + "\",\"status\":\"sent\",\"timestamp\":\"1\",\"pad\":\"";
        const string tail = "\"}";
        return Encoding.ASCII.GetBytes(head + new string('a', totalBytes - head.Length - tail.Length) + tail);
    }

    /// <summary>Hides the length of its bytes, so HttpClient has to send them chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
