using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sobot.Receiver.Tests;

/// <summary>
/// The query API over HTTP on each store: numbers as people type them, the head of every page, effective times, and
/// consumer leases. A subclass says how to start a receiver on its store.
/// </summary>
public abstract class ReceiverApiContract
{
    protected abstract Task<Receiver> StartAsync();

    [Fact]
    public async Task Events_are_found_by_the_number_however_it_is_written()
    {
        await using var r = await StartAsync();
        await r.DeliverAsync(Payloads.Inbound("wamid.N1", "919876500040", "hello", 1_700_000_000));
        await r.DeliverAsync(Payloads.Inbound("wamid.N2", "+91 98765-00040", "again", 1_700_000_100));
        await r.DeliverAsync(Payloads.Inbound("wamid.OTHER", "919876500041", "not me", 1_700_000_200));
        foreach (var written in new[] { "+91 98765-00040", "919876500040", "+919876500040", "0091 98765 00040" })
            Assert.Equal(["wamid.N1", "wamid.N2"], Ids(await r.EventsAsync("customerNumber=" + Uri.EscapeDataString(written))));

        foreach (var notANumber in new[] { "call-me", "0987" })
        {
            using var response = await r.Query.GetAsync("v1/events?customerNumber=919876500040&customerNumber=" + notANumber);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains($"'{notANumber}'", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_page_says_the_head_and_customerNumber_may_name_up_to_1000_numbers()
    {
        await using var r = await StartAsync();
        var empty = await r.GetJsonAsync("v1/events");
        Assert.Equal((0L, 0L), ((long)empty["next"]!, (long)empty["head"]!));
        for (int i = 0; i < 3; i++) await r.DeliverAsync(Payloads.Inbound($"wamid.H{i}", $"91987650004{i}", "hi", 1_700_000_000 + i));
        var page = await r.GetJsonAsync("v1/events?limit=1");
        var all = await r.EventsAsync();
        Assert.Equal(((long)all[0]!["seq"]!, (long)all[2]!["seq"]!), ((long)page["next"]!, (long)page["head"]!));
        // A filter that matches nothing still says where the store stands: a long poll can start there.
        var none = await r.GetJsonAsync("v1/events?customerNumber=911111111111");
        Assert.Equal((0L, (long)all[2]!["seq"]!), ((long)none["next"]!, (long)none["head"]!));

        Assert.Equal(["wamid.H0", "wamid.H2"], Ids(await r.EventsAsync("customerNumber=919876500040&customerNumber=%2B91%2098765%2000042")));
        string Numbers(int count) => string.Join("&", Enumerable.Range(0, count).Select(i => "customerNumber=" + (919_800_000_000L + i)));
        Assert.Equal(["wamid.H1"], Ids(await r.EventsAsync(Numbers(999) + "&customerNumber=919876500041")));
        using var tooMany = await r.Query.GetAsync("v1/events?" + Numbers(1001));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("1000", (string)JsonNode.Parse(await tooMany.Content.ReadAsStringAsync())!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_keep_their_timestamp_and_show_their_effective_time()
    {
        await using var r = await StartAsync();
        await r.DeliverAsync(Payloads.Inbound("wamid.PAST", "919876500040", "then", 1_700_000_000));
        await r.DeliverAsync(Payloads.Inbound("wamid.2100", "919876500040", "forged", 4_102_444_800));
        var events = await r.EventsAsync();
        Assert.Equal(("2023-11-14T22:13:20.000Z", "2023-11-14T22:13:20.000Z"), ((string)events[0]!["timestamp"]!, (string)events[0]!["effectiveAt"]!));
        // The forged date is shown as it came; its effective time is the second it arrived in.
        string receivedAt = (string)events[1]!["receivedAt"]!;
        Assert.Equal(("2100-01-01T00:00:00.000Z", receivedAt[..19] + ".000Z"), ((string)events[1]!["timestamp"]!, (string)events[1]!["effectiveAt"]!));
        // since is compared with the effective time: the message dated 2100 is not "since 2099".
        Assert.Empty(await r.EventsAsync("since=2099-01-01T00:00:00Z"));
    }

    [Fact]
    public async Task A_consumer_is_leased_to_one_reader_and_refusals_name_who_reads_it()
    {
        await using var r = await StartAsync();
        using (var leased = await r.Query.PostAsJsonAsync("v1/consumers/helpdesk/lease", new { holder = "h-alice", description = "alice@web01 pid 4242", ttlMs = 60000 }))
        {
            Assert.Equal(HttpStatusCode.OK, leased.StatusCode);
            var body = JsonNode.Parse(await leased.Content.ReadAsStringAsync())!;
            Assert.Equal(("helpdesk", 0L, "h-alice", "alice@web01 pid 4242"), ((string)body["name"]!, (long)body["position"]!, (string)body["holder"]!, (string)body["description"]!));
            Assert.Null(body["updatedAt"]);
            Assert.InRange(DateTimeOffset.Parse((string)body["leaseUntil"]!), DateTimeOffset.UtcNow.AddSeconds(30), DateTimeOffset.UtcNow.AddSeconds(90));
        }
        string until = (string)(await r.GetJsonAsync("v1/consumers/helpdesk"))["leaseUntil"]!;
        using (var second = await r.Query.PostAsJsonAsync("v1/consumers/helpdesk/lease", new { holder = "h-bob", description = "bob@web02 pid 7" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            var refusal = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
            Assert.Equal($"The consumer 'helpdesk' is being read by alice@web01 pid 4242 (lease until {until}).", (string)refusal["message"]!);
            Assert.Equal(409, (int)refusal["code"]!);
            Assert.DoesNotContain("h-alice", refusal.ToJsonString(), StringComparison.Ordinal);
        }
        using (var rewind = await r.Query.PutAsJsonAsync("v1/consumers/helpdesk", new { position = 1 }))
            Assert.Equal(HttpStatusCode.Conflict, rewind.StatusCode);
        using (var remove = await r.Query.DeleteAsync("v1/consumers/helpdesk"))
            Assert.Equal(HttpStatusCode.Conflict, remove.StatusCode);
        using (var move = await r.Query.PutAsJsonAsync("v1/consumers/helpdesk", new { position = 42, holder = "h-alice" }))
        {
            Assert.Equal(HttpStatusCode.OK, move.StatusCode);
            Assert.Equal(42L, (long)JsonNode.Parse(await move.Content.ReadAsStringAsync())!["position"]!);
        }
        Assert.Equal("h-alice", (string)(await r.GetJsonAsync("v1/consumers"))["consumers"]![0]!["holder"]!);

        using (var notHers = await r.Query.DeleteAsync("v1/consumers/helpdesk/lease?holder=h-bob"))
            Assert.Equal(HttpStatusCode.NoContent, notHers.StatusCode);
        Assert.Equal("h-alice", (string)(await r.GetJsonAsync("v1/consumers/helpdesk"))["holder"]!);
        using (var release = await r.Query.DeleteAsync("v1/consumers/helpdesk/lease?holder=h-alice"))
            Assert.Equal(HttpStatusCode.NoContent, release.StatusCode);
        var free = await r.GetJsonAsync("v1/consumers/helpdesk");
        Assert.Equal(42L, (long)free["position"]!);
        Assert.False(free.AsObject().ContainsKey("holder") || free.AsObject().ContainsKey("leaseUntil") || free.AsObject().ContainsKey("description"));

        using (var rewind = await r.Query.PutAsJsonAsync("v1/consumers/helpdesk", new { position = 0 }))
            Assert.Equal(HttpStatusCode.OK, rewind.StatusCode);
        using (var remove = await r.Query.DeleteAsync("v1/consumers/helpdesk"))
            Assert.True((bool)JsonNode.Parse(await remove.Content.ReadAsStringAsync())!["removed"]!);
        Assert.Empty((await r.GetJsonAsync("v1/consumers"))["consumers"]!.AsArray());
    }

    [Theory]
    [InlineData("POST", "v1/consumers/helpdesk/lease", "{}")]
    [InlineData("POST", "v1/consumers/helpdesk/lease", "{\"holder\":\"\"}")]
    [InlineData("POST", "v1/consumers/helpdesk/lease", "{\"holder\":\"h\",\"ttlMs\":999}")]
    [InlineData("POST", "v1/consumers/helpdesk/lease", "{\"holder\":\"h\",\"ttlMs\":3600001}")]
    [InlineData("POST", "v1/consumers/helpdesk/lease", "{\"holder\":7}")]
    [InlineData("POST", "v1/consumers/bad%20name/lease", "{\"holder\":\"h\"}")]
    [InlineData("DELETE", "v1/consumers/helpdesk/lease", null)]
    [InlineData("PUT", "v1/consumers/helpdesk", "{\"position\":1,\"holder\":5}")]
    public async Task Bad_lease_requests_are_400(string method, string path, string? body)
    {
        await using var r = await StartAsync();
        await r.AssertBadRequestAsync(method, path, body);
    }

    [Theory]
    [InlineData("GET", "v1/events?messageId=wamid.%00X", null)]
    [InlineData("GET", "v1/events?messageId=wamid.%1BX", null)]
    [InlineData("GET", "v1/events?type=inbound%00", null)]
    [InlineData("GET", "v1/events?customerNumber=919876500040%00", null)]
    [InlineData("GET", "v1/events?waitMs=1000&messageId=%00", null)]
    [InlineData("GET", "v1/status/wamid.%1BX", null)]
    [InlineData("DELETE", "v1/consumers/helpdesk/lease?holder=h%00", null)]
    [InlineData("POST", "v1/consumers/helpdesk/lease", "{\"holder\":\"h\\u0000\"}")]
    [InlineData("POST", "v1/consumers/helpdesk/lease", "{\"holder\":\"h\",\"description\":\"\\ud800\"}")]
    [InlineData("PUT", "v1/consumers/helpdesk", "{\"position\":1,\"holder\":\"h\\u0000\"}")]
    [InlineData("PUT", "v1/optouts/919960123456", "{\"source\":\"manual:a\\u0000b\"}")]
    [InlineData("POST", "v1/status/query", "{\"messageIds\":[\"wamid.\\u0000X\"]}")]
    [InlineData("POST", "v1/windows/query", "{\"customerNumbers\":[\"\\ud800\"]}")]
    [InlineData("POST", "v1/windows/query", "{\"customerNumbers\":[\"91996\\u00000123456\"]}")]
    public async Task A_NUL_or_other_control_character_in_a_parameter_is_400_on_every_store(string method, string path, string? body)
    {
        await using var r = await StartAsync();
        await r.DeliverAsync(Payloads.Status("wamid.X", "sent", 1));
        await r.AssertBadRequestAsync(method, path, body);
        // Refused before the store: it answers the next request as ever.
        Assert.Single(await r.EventsAsync());
    }

    private static string[] Ids(JsonArray events) => events.Select(e => (string)e!["messageId"]!).ToArray();
}

/// <summary>The query API contract on SQLite.</summary>
public sealed class SqliteReceiverApiTests : ReceiverApiContract
{
    protected override Task<Receiver> StartAsync() => Receiver.StartAsync();
}

/// <summary>The query API contract on PostgreSQL, each test in a new database of the shared throwaway cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresReceiverApiTests(PostgresCluster cluster) : ReceiverApiContract
{
    protected override async Task<Receiver> StartAsync() => await PostgresReceiverTests.StartOnAsync(await cluster.CreateDatabaseAsync());
}
