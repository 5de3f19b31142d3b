using System.Security;
using Sobot.Client.Receiver;

namespace Sobot.Client.Tests;

/// <summary>The receiver client's opt-out and window calls against canned answers: paths, methods, parsing, errors.</summary>
public class ReceiverOptOutClientTests
{
    private const string Key = "key_0123456789abcdefghijKLMNOP";

    private static SobotReceiverClient Client(RawHttpServer server)
    {
        var key = new SecureString();
        foreach (char c in Key) key.AppendChar(c);
        return new SobotReceiverClient(new SobotReceiverOptions(server.BaseUri, key) { Timeout = TimeSpan.FromSeconds(10) });
    }

    private static string RequestLine(string head) => head.Split("\r\n")[0];

    [Fact]
    public async Task The_list_and_one_number_are_read_404_is_null_and_400_an_error()
    {
        using var server = new RawHttpServer(head => RequestLine(head) switch
        {
            "GET /v1/optouts HTTP/1.1" => RawHttpServer.Response(200,
                """{"optOuts":[{"customerNumber":"911111111111","since":"2023-11-14T22:13:20.000Z","source":"inbound:wamid.S"},{"customerNumber":"15550100","since":"2026-11-25T13:00:00.123Z","source":"manual:alice@host"}]}"""),
            "GET /v1/optouts/%2B91%2099601-23456 HTTP/1.1" => RawHttpServer.Response(200,
                """{"customerNumber":"919960123456","since":"2023-11-14T22:13:20.000Z","source":"inbound:wamid.X"}"""),
            "GET /v1/optouts/call%20me HTTP/1.1" => RawHttpServer.Response(400, """{"message":"'call me' is not a phone number.","code":400}"""),
            _ => RawHttpServer.Response(404, """{"message":"That number is not on the opt-out list.","code":404}"""),
        });
        using var client = Client(server);
        var all = await client.GetOptOutsAsync();
        Assert.Equal(["911111111111", "15550100"], all.Select(o => o.CustomerNumber));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 13, 0, 0, 123, TimeSpan.Zero), all[1].Since);
        Assert.Equal("manual:alice@host", all[1].Source);

        var one = await client.GetOptOutAsync("+91 99601-23456");
        Assert.Equal(("919960123456", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), "inbound:wamid.X"), (one!.CustomerNumber, one.Since, one.Source));
        Assert.Null(await client.GetOptOutAsync("922222222222"));
        // Only 404 means "not on the list": any other refusal is an error.
        Assert.Equal(400, (await Assert.ThrowsAsync<SobotReceiverException>(() => client.GetOptOutAsync("call me"))).StatusCode);
        Assert.All(server.Requests, h => Assert.Contains("x-receiver-key: " + Key, h));
    }

    [Fact]
    public async Task Add_puts_and_remove_deletes()
    {
        using var server = new RawHttpServer(head => RequestLine(head) switch
        {
            "PUT /v1/optouts/15550100 HTTP/1.1" => RawHttpServer.Response(200, """{"customerNumber":"15550100","since":"2026-11-25T13:00:00.000Z","source":"manual:alice@host"}"""),
            "DELETE /v1/optouts/15550100 HTTP/1.1" => RawHttpServer.Response(200, """{"removed":true}"""),
            "DELETE /v1/optouts/15550199 HTTP/1.1" => RawHttpServer.Response(200, """{"removed":false}"""),
            _ => RawHttpServer.Response(500, """{"message":"unexpected","code":500}"""),
        });
        using var client = Client(server);
        var added = await client.AddOptOutAsync("15550100", "alice@host");
        Assert.Equal(("15550100", "manual:alice@host"), (added.CustomerNumber, added.Source));
        Assert.True(await client.RemoveOptOutAsync("15550100"));
        Assert.False(await client.RemoveOptOutAsync("15550199"));
        await Assert.ThrowsAsync<SobotValidationException>(() => client.AddOptOutAsync("15550100", " "));
        await Assert.ThrowsAsync<SobotValidationException>(() => client.RemoveOptOutAsync(""));
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Last_inbound_is_asked_1000_numbers_a_request_and_the_answers_joined()
    {
        using var server = new RawHttpServer(head => RequestLine(head) == "POST /v1/windows/query HTTP/1.1"
            ? RawHttpServer.Response(200, """{"windows":[{"customerNumber":"919960123456","lastInboundAt":"2023-11-14T22:13:20.000Z","messageId":"wamid.L"}]}""")
            : RawHttpServer.Response(404, """{"message":"no","code":404}"""));
        using var client = Client(server);
        Assert.Empty(await client.GetLastInboundAsync([]));
        Assert.Empty(server.Requests);

        var numbers = Enumerable.Range(0, 2500).Select(i => (910_000_000_000L + i).ToString()).ToList();
        var answers = await client.GetLastInboundAsync(numbers);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(3, answers.Count);
        Assert.All(answers, a => Assert.Equal(("919960123456", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), "wamid.L"), (a.CustomerNumber, a.LastInboundAt, a.MessageId)));
    }

    [Fact]
    public async Task A_refusal_carries_the_receivers_message_and_a_malformed_answer_is_an_error()
    {
        using var server = new RawHttpServer(head => RequestLine(head).StartsWith("PUT", StringComparison.Ordinal)
            ? RawHttpServer.Response(400, """{"message":"'x' is not a phone number.","code":400}""")
            : RawHttpServer.Response(200, """{"events":[]}"""));
        using var client = Client(server);
        var refused = await Assert.ThrowsAsync<SobotReceiverException>(() => client.AddOptOutAsync("x", "alice"));
        Assert.Equal(400, refused.StatusCode);
        Assert.Contains("not a phone number", refused.Message);
        Assert.DoesNotContain(Key, refused.Message);
        var malformed = await Assert.ThrowsAsync<SobotReceiverException>(() => client.GetOptOutsAsync());
        Assert.Contains("optOuts", malformed.Message);
        await Assert.ThrowsAsync<SobotReceiverException>(() => client.GetLastInboundAsync(["15550100"]));
    }
}
