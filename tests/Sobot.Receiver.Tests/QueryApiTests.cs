using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sobot.Receiver.Tests;

public class QueryApiTests
{
    public static TheoryData<string, string> QueryRoutes => new()
    {
        { "GET", "v1/events" },
        { "GET", "v1/status/wamid.X" },
        { "POST", "v1/status/query" },
        { "GET", "v1/consumers" },
        { "GET", "v1/consumers/helpdesk" },
        { "PUT", "v1/consumers/helpdesk" },
        { "DELETE", "v1/consumers/helpdesk" },
        { "POST", "v1/consumers/helpdesk/lease" },
        { "DELETE", "v1/consumers/helpdesk/lease?holder=h" },
        { "GET", "v1/optouts" },
        { "GET", "v1/optouts/919960123456" },
        { "PUT", "v1/optouts/919960123456" },
        { "DELETE", "v1/optouts/919960123456" },
        { "POST", "v1/windows/query" },
    };

    [Theory]
    [MemberData(nameof(QueryRoutes))]
    public async Task Every_query_route_needs_the_key(string method, string path)
    {
        await using var r = await Receiver.StartAsync();
        foreach (string? key in new[] { null, "", "wrong", Receiver.QueryKey[..^1], Receiver.QueryKey + "x", Receiver.Token })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : JsonContent.Create(new { position = 1, messageIds = new[] { "a" } }) };
            if (key != null) request.Headers.Add("x-receiver-key", key);
            using var response = await r.Bare.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Null((await r.GetJsonAsync("v1/consumers/helpdesk"))["updatedAt"]);
    }

    [Fact]
    public async Task Healthz_needs_no_key_and_holds_no_secret()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync(Payloads.InboundText);
        foreach (var client in new[] { r.Bare, r.Ingress })
        {
            using var response = await client.GetAsync("healthz");
            string text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var health = JsonNode.Parse(text)!;
            Assert.Equal(("ok", true, 1L, 1L), ((string)health["status"]!, (bool)health["storeReachable"]!, (long)health["events"]!, (long)health["lastSeq"]!));
            Assert.NotNull((string?)health["lastEventAt"]);
            Assert.DoesNotContain(Receiver.Token, text);
            Assert.DoesNotContain(Receiver.QueryKey, text);
            Assert.DoesNotContain("webhook", text);
            Assert.DoesNotContain(r.StorePath, text);
        }
    }

    [Fact]
    public async Task Events_are_filtered_by_type_customer_message_and_time_and_paged_by_cursor()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync(Payloads.Inbound("wamid.I1", "911111111111", "first", timestamp: 1_700_000_000));
        await r.DeliverAsync(Payloads.Status("wamid.S1", "sent", 1_700_000_100));
        await r.DeliverAsync(Payloads.Inbound("wamid.I2", "922222222222", "second", timestamp: 1_700_000_200));
        await r.DeliverAsync(Payloads.Inbound("wamid.I3", "911111111111", "third", timestamp: 1_700_000_300));
        await r.DeliverAsync("garbage");

        Assert.Equal(["wamid.I1", "wamid.I2", "wamid.I3"], Ids(await r.EventsAsync("type=inbound")));
        Assert.Equal(["wamid.S1"], Ids(await r.EventsAsync("type=STATUS")));
        Assert.Single(await r.EventsAsync("type=unknown"));
        Assert.Equal(["wamid.I1", "wamid.I3"], Ids(await r.EventsAsync("customerNumber=911111111111")));
        Assert.Equal(["wamid.I2"], Ids(await r.EventsAsync("messageId=wamid.I2")));
        Assert.Equal(["wamid.I2", "wamid.I3"], Ids(await r.EventsAsync("type=inbound&since=1700000200")));
        Assert.Equal(["wamid.I3"], Ids(await r.EventsAsync("type=inbound&since=" + Uri.EscapeDataString("2023-11-14T22:18:20Z"))));

        var first = await r.GetJsonAsync("v1/events?limit=2");
        Assert.Equal(["wamid.I1", "wamid.S1"], Ids(first["events"]!.AsArray()));
        Assert.Equal(2L, (long)first["next"]!);
        var rest = await r.GetJsonAsync("v1/events?after=2&limit=10");
        Assert.Equal([3L, 4L, 5L], rest["events"]!.AsArray().Select(e => (long)e!["seq"]!));
        Assert.Equal(5L, (long)rest["next"]!);
        var none = await r.GetJsonAsync("v1/events?after=5");
        Assert.Empty(none["events"]!.AsArray());
        Assert.Equal(5L, (long)none["next"]!);
    }

    [Theory]
    [InlineData("after=-1")]
    [InlineData("after=x")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("waitMs=30001")]
    [InlineData("type=reaction")]
    [InlineData("since=yesterday")]
    public async Task Bad_arguments_are_400_with_a_reason(string query)
    {
        await using var r = await Receiver.StartAsync();
        using var response = await r.Query.GetAsync("v1/events?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]));
    }

    [Fact]
    public async Task A_long_poll_answers_with_the_matching_event_alone_not_with_another()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync(Payloads.Inbound("wamid.OLD", "911111111111", "before"));
        var poll = r.GetJsonAsync("v1/events?after=1&type=inbound&customerNumber=933333333333&waitMs=30000");
        // An event that does not match the filter (read by the poll's first read, or waking it) must leave it waiting.
        await r.DeliverAsync(Payloads.Inbound("wamid.OTHER", "944444444444", "not for you"));
        Assert.False(poll.IsCompleted, "the poll was answered before any matching event was posted");
        await r.DeliverAsync(Payloads.Inbound("wamid.ANSWER", "933333333333", "yes"));
        // The page holds the matching event alone: a poll answered by the other event, or answered empty, would not.
        // How soon the commit wakes it is the benchmark's to measure; the deadline here is only for a hang.
        var page = await poll.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(["wamid.ANSWER"], Ids(page["events"]!.AsArray()));
    }

    [Fact]
    public async Task A_long_poll_with_nothing_new_waits_its_time_then_answers_empty()
    {
        await using var r = await Receiver.StartAsync();
        var clock = Stopwatch.StartNew();
        var page = await r.GetJsonAsync("v1/events?after=0&waitMs=400");
        clock.Stop();
        Assert.Empty(page["events"]!.AsArray());
        Assert.Equal(0L, (long)page["next"]!);
        // A lower bound only (load can make the answer later, never earlier): the poll waited its time, it did not
        // answer at once. How late it may answer is not this test's business.
        Assert.True(clock.ElapsedMilliseconds >= 380, $"answered after {clock.ElapsedMilliseconds} ms of a 400 ms wait");
    }

    [Fact]
    public async Task The_latest_status_only_moves_forward_whatever_the_arrival_order()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync(Payloads.Status("wamid.M", "read", 300));
        await r.DeliverAsync(Payloads.Status("wamid.M", "sent", 100));
        await r.DeliverAsync(Payloads.Status("wamid.M", "delivered", 200));
        var m = await r.GetJsonAsync("v1/status/wamid.M");
        Assert.Equal(("read", "1970-01-01T00:05:00.000Z"), ((string)m["status"]!, (string)m["timestamp"]!));
        Assert.Equal(("1970-01-01T00:01:40.000Z", "1970-01-01T00:03:20.000Z", "1970-01-01T00:05:00.000Z"),
            ((string)m["sentAt"]!, (string)m["deliveredAt"]!, (string)m["readAt"]!));

        await r.DeliverAsync(Payloads.Status("wamid.N", "delivered", 200));
        await r.DeliverAsync(Payloads.Status("wamid.N", "sent", 100));
        await r.DeliverAsync(Payloads.Status("wamid.N", "deleted", 400));   // unknown to the ranking: kept as an event only
        Assert.Equal("delivered", (string)(await r.GetJsonAsync("v1/status/wamid.N"))["status"]!);
        Assert.Equal(3, (await r.EventsAsync("messageId=wamid.N")).Count);

        // failed is terminal: a later delivered does not undo it, and its reason is kept.
        await r.DeliverAsync(Payloads.Status("wamid.F", "sent", 100));
        await r.DeliverAsync(Payloads.Failed("wamid.F", 150, "919999999999"));
        await r.DeliverAsync(Payloads.Status("wamid.F", "delivered", 200));
        var f = await r.GetJsonAsync("v1/status/wamid.F");
        Assert.Equal(("failed", 131026, "Message undeliverable", "919999999999"),
            ((string)f["status"]!, (int)f["errorCode"]!, (string)f["errorTitle"]!, (string)f["recipientId"]!));

        using var missing = await r.Query.GetAsync("v1/status/wamid.NEVER");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Statuses_are_answered_in_batches_leaving_out_ids_without_one()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync(Payloads.Array(Enumerable.Range(0, 50).Select(i => Payloads.Status($"wamid.B{i}", i % 2 == 0 ? "read" : "sent", i)).ToArray()));
        var ids = Enumerable.Range(0, 60).Select(i => $"wamid.B{i}").Append("wamid.B1").ToArray();
        using var response = await r.Query.PostAsJsonAsync("v1/status/query", new { messageIds = ids });
        var statuses = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["statuses"]!.AsArray();
        Assert.Equal(50, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(int.Parse(((string)s!["messageId"]!)["wamid.B".Length..]) % 2 == 0 ? "read" : "sent", (string)s!["status"]!));

        using var tooMany = await r.Query.PostAsJsonAsync("v1/status/query", new { messageIds = Enumerable.Range(0, 1001).Select(i => "w" + i) });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        using var notJson = await r.Query.PostAsync("v1/status/query", new StringContent("nope"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }

    [Fact]
    public async Task Consumer_cursors_start_at_zero_and_keep_what_was_set()
    {
        await using var r = await Receiver.StartAsync();
        var fresh = await r.GetJsonAsync("v1/consumers/helpdesk");
        Assert.Equal(("helpdesk", 0L), ((string)fresh["name"]!, (long)fresh["position"]!));
        Assert.Null(fresh["updatedAt"]);
        Assert.Empty((await r.GetJsonAsync("v1/consumers"))["consumers"]!.AsArray());

        using (var put = await r.Query.PutAsJsonAsync("v1/consumers/helpdesk", new { position = 42 }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal(42L, (long)JsonNode.Parse(await put.Content.ReadAsStringAsync())!["position"]!);
        }
        (await r.Query.PutAsJsonAsync("v1/consumers/billing.v2", new { position = 7 })).Dispose();
        (await r.Query.PutAsJsonAsync("v1/consumers/helpdesk", new { position = 43 })).Dispose();
        var helpdesk = await r.GetJsonAsync("v1/consumers/helpdesk");
        Assert.Equal(43L, (long)helpdesk["position"]!);
        Assert.NotNull((string?)helpdesk["updatedAt"]);
        Assert.Equal(["billing.v2", "helpdesk"], (await r.GetJsonAsync("v1/consumers"))["consumers"]!.AsArray().Select(c => (string)c!["name"]!));

        foreach (var (name, body) in new[] { ("helpdesk", (object)new { position = -1 }), ("helpdesk", new { place = 1 }), ("bad name!", new { position = 1 }) })
        {
            using var bad = await r.Query.PutAsJsonAsync("v1/consumers/" + Uri.EscapeDataString(name), body);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        Assert.Equal(43L, (long)(await r.GetJsonAsync("v1/consumers/helpdesk"))["position"]!);
    }

    private static string[] Ids(JsonArray events) => events.Select(e => (string)e!["messageId"]!).ToArray();
}
