using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Tests;

/// <summary>The opt-out and window routes over HTTP: shapes, 404 and 400, and stop words set on the command line.</summary>
/// <remarks>
/// Opt-outs are tested once a layer: the rules (stop words, ordering, manual decisions) in OptOutAndWindowContract on
/// both stores, the wire shapes here, the client's calls in ReceiverOptOutClientTests (canned answers), its disk copy
/// and pre-send step in OptOutCacheTests and PreSendTests, and one end-to-end pass through the module in
/// Campaign.Tests.ps1.
/// </remarks>
public class OptOutApiTests
{
    private const string Number = "919960123456";

    [Fact]
    public async Task A_stop_message_shows_on_the_list_and_by_number()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync(Payloads.Inbound("wamid.STOP", Number, "Stop", timestamp: 1_700_000_000));
        var list = (await r.GetJsonAsync("v1/optouts"))["optOuts"]!.AsArray();
        var one = Assert.Single(list)!;
        Assert.Equal((Number, "2023-11-14T22:13:20.000Z", "inbound:wamid.STOP"), ((string)one["customerNumber"]!, (string)one["since"]!, (string)one["source"]!));
        var byNumber = await r.GetJsonAsync("v1/optouts/" + Uri.EscapeDataString("+91 99601-23456"));
        Assert.Equal(one.ToJsonString(), byNumber.ToJsonString());

        using var missing = await r.Query.GetAsync("v1/optouts/911111111111");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var error = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!;
        Assert.Equal(404, (int)error["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
    }

    [Fact]
    public async Task Put_adds_once_and_delete_says_whether_it_removed()
    {
        await using var r = await Receiver.StartAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        JsonNode first;
        using (var put = await r.Query.PutAsJsonAsync("v1/optouts/+15550100", new { source = "manual:alice@host" }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            first = JsonNode.Parse(await put.Content.ReadAsStringAsync())!;
        }
        Assert.Equal(("15550100", "manual:alice@host"), ((string)first["customerNumber"]!, (string)first["source"]!));
        Assert.InRange(DateTimeOffset.Parse((string)first["since"]!), before, DateTimeOffset.UtcNow.AddSeconds(1));
        using (var again = await r.Query.PutAsJsonAsync("v1/optouts/15550100", new { source = "manual:bob@host" }))
            Assert.Equal(first.ToJsonString(), JsonNode.Parse(await again.Content.ReadAsStringAsync())!.ToJsonString());
        Assert.Equal(first.ToJsonString(), (await r.GetJsonAsync("v1/optouts/15550100")).ToJsonString());

        foreach (bool expected in new[] { true, false })
        {
            using var delete = await r.Query.DeleteAsync("v1/optouts/15550100");
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
            Assert.Equal(expected, (bool)JsonNode.Parse(await delete.Content.ReadAsStringAsync())!["removed"]!);
        }
        Assert.Empty((await r.GetJsonAsync("v1/optouts"))["optOuts"]!.AsArray());
    }

    [Theory]
    [InlineData("GET", "v1/optouts/call-me", null)]
    [InlineData("DELETE", "v1/optouts/12ab", null)]
    [InlineData("PUT", "v1/optouts/0555%200100", "{\"source\":\"manual:x\"}")]
    [InlineData("PUT", "v1/optouts/123456789012345678901", "{\"source\":\"manual:x\"}")]
    [InlineData("PUT", "v1/optouts/15550100", "{}")]
    [InlineData("PUT", "v1/optouts/15550100", "{\"source\":\"inbound:wamid.X\"}")]
    [InlineData("PUT", "v1/optouts/15550100", "{\"source\":7}")]
    [InlineData("PUT", "v1/optouts/15550100", "not json")]
    [InlineData("POST", "v1/windows/query", "not json")]
    [InlineData("POST", "v1/windows/query", "{\"numbers\":[]}")]
    [InlineData("POST", "v1/windows/query", "{\"customerNumbers\":[15550100]}")]
    [InlineData("POST", "v1/windows/query", "{\"customerNumbers\":[\"15550100\",\"x\"]}")]
    public async Task Bad_numbers_and_bodies_are_400_with_a_reason(string method, string path, string? body)
    {
        await using var r = await Receiver.StartAsync();
        await r.AssertBadRequestAsync(method, path, body);
        Assert.Empty((await r.GetJsonAsync("v1/optouts"))["optOuts"]!.AsArray());
    }

    [Fact]
    public async Task Put_refuses_a_source_over_200_characters()
    {
        await using var r = await Receiver.StartAsync();
        using var response = await r.Query.PutAsJsonAsync("v1/optouts/15550100", new { source = "manual:" + new string('a', 194) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Windows_give_each_numbers_last_inbound_by_message_time()
    {
        await using var r = await Receiver.StartAsync();
        await r.DeliverAsync(Payloads.Inbound("wamid.NEW", Number, "later", timestamp: 1_700_000_200));
        await r.DeliverAsync(Payloads.Inbound("wamid.OLD", Number, "earlier", timestamp: 1_700_000_100));
        await r.DeliverAsync(Payloads.Status("wamid.S", "read", 1_700_000_300));
        using var response = await r.Query.PostAsJsonAsync("v1/windows/query", new { customerNumbers = new[] { "+" + Number, "911111111111" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var window = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["windows"]!.AsArray())!;
        Assert.Equal((Number, "2023-11-14T22:16:40.000Z", "wamid.NEW"), ((string)window["customerNumber"]!, (string)window["lastInboundAt"]!, (string)window["messageId"]!));

        using var tooMany = await r.Query.PostAsJsonAsync("v1/windows/query", new { customerNumbers = Enumerable.Range(0, 1001).Select(i => (9_100_000_000L + i).ToString()) });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        using var atMost = await r.Query.PostAsJsonAsync("v1/windows/query", new { customerNumbers = Enumerable.Range(0, 1000).Select(i => (9_100_000_000L + i).ToString()) });
        Assert.Equal(HttpStatusCode.OK, atMost.StatusCode);
    }

    [Fact]
    public async Task Stop_and_start_words_come_from_the_command_line()
    {
        var options = ReceiverOptions.Parse(["--stop-words", "HALT, Basta", "--start-words", "resume"]);
        await using var r = await Receiver.StartAsync(o => o.ConsentWords = options.ConsentWords);
        await r.DeliverAsync(Payloads.Inbound("wamid.1", "911111111111", "STOP", timestamp: 100));
        await r.DeliverAsync(Payloads.Inbound("wamid.2", "922222222222", "basta", timestamp: 100));
        await r.DeliverAsync(Payloads.Inbound("wamid.3", "933333333333", "halt", timestamp: 100));
        await r.DeliverAsync(Payloads.Inbound("wamid.4", "933333333333", "Resume", timestamp: 200));
        Assert.Equal(["922222222222"], (await r.GetJsonAsync("v1/optouts"))["optOuts"]!.AsArray().Select(o => (string)o!["customerNumber"]!));
    }

    [Fact]
    public void Stop_words_default_and_a_word_in_both_lists_is_refused()
    {
        var defaults = ReceiverOptions.Parse([]).ConsentWords;
        Assert.Equal(ConsentWords.DefaultStopWords.Order(), defaults.StopWords.Order());
        Assert.Equal(["START"], defaults.StartWords);
        Assert.Throws<ArgumentException>(() => ReceiverOptions.Parse(["--stop-words", "STOP,GO", "--start-words", "go"]));
        Assert.Throws<ArgumentException>(() => ReceiverOptions.Parse(["--stop-words", " , "]));
        Assert.Throws<ArgumentException>(() => ReceiverOptions.Parse(["--start-words"]));
    }
}
