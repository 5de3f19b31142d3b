using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sobot.Receiver.Ingress;
using Sobot.Receiver.Query;
using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Sqlite;

namespace Sobot.Receiver.Tests;

/// <summary>Long polls are bounded per receiver (429 with Retry-After beyond --max-waits), and only a committed event a poll's filter matches wakes it.</summary>
public class LongPollTests
{
    [Fact]
    public async Task Beyond_max_waits_a_long_poll_is_429_with_Retry_After_and_ingest_goes_on_while_the_polls_wait()
    {
        await using var r = await Receiver.StartAsync(o => o.MaxWaits = 3);
        string[] waiting = ["919000000001", "919000000002", "919000000003"];
        Task<HttpResponseMessage> Hold(string number) => r.Query.GetAsync($"v1/events?type=inbound&customerNumber={number}&waitMs=30000");
        var held = waiting.Select(Hold).ToArray();
        System.Net.Http.Headers.RetryConditionHeaderValue? retryAfter = null;
        string refusal = "";
        await RefusalLogTests.Until(async () =>
        {
            // A probe may take a place before a held poll does and turn it away: that one asks again.
            for (int i = 0; i < held.Length; i++)
                if (held[i].IsCompleted && held[i].Result.StatusCode == HttpStatusCode.TooManyRequests) held[i] = Hold(waiting[i]);
            using var probe = await r.Query.GetAsync("v1/events?customerNumber=919000000009&waitMs=1");
            if (probe.StatusCode != HttpStatusCode.TooManyRequests) return false;
            (retryAfter, refusal) = (probe.Headers.RetryAfter, await probe.Content.ReadAsStringAsync());
            return true;
        });

        Assert.Equal(TimeSpan.FromSeconds(LongPolls.RetryAfterSeconds), retryAfter!.Delta);
        var error = JsonNode.Parse(refusal)!;
        Assert.Equal(429, (int)error["code"]!);
        Assert.Contains("--max-waits", (string)error["message"]!, StringComparison.Ordinal);
        // A read without a wait is never turned away.
        Assert.Empty(await r.EventsAsync("customerNumber=919000000009"));

        // Ingest goes on while the three wait: every post is stored.
        for (int i = 0; i < 50; i++) await r.DeliverAsync(Payloads.Inbound($"wamid.LOAD{i}", "918000000" + i.ToString("000"), "load"));
        Assert.Equal(50, (await r.EventsAsync("limit=1000")).Count);

        // The poll an event matches is answered with it, and its place is free again.
        await r.DeliverAsync(Payloads.Inbound("wamid.ANSWER", waiting[1], "yes"));
        var answer = await AnswerAsync(await held[1].WaitAsync(TimeSpan.FromSeconds(30)));
        // A busy machine may have taken the poll's 30 s over the 50 posts above, so it ended empty: asked again, it
        // finds the answer stored.
        if (answer.Count == 0) answer = await AnswerAsync(await Hold(waiting[1]).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("wamid.ANSWER", (string)answer[0]!["messageId"]!);
        using (var admitted = await r.Query.GetAsync("v1/events?customerNumber=919000000009&waitMs=1"))
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);

        await r.DeliverAsync(Payloads.Inbound("wamid.E1", waiting[0], "bye"));
        await r.DeliverAsync(Payloads.Inbound("wamid.E3", waiting[2], "bye"));
        foreach (var poll in held) (await poll.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
    }

    /// <summary>The events a poll was answered with (disposing the response).</summary>
    private static async Task<JsonArray> AnswerAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["events"]!.AsArray();
        }
    }

    [Fact]
    public async Task Only_the_polls_a_committed_event_matches_are_woken()
    {
        using var folder = new TempDirectory();
        await using var store = SqliteEventStore.Open(new SqliteStoreOptions(folder.File("events.db")));
        await Append(store, Payloads.Inbound("wamid.BEFORE", "917000000000", "history"));
        var polls = new LongPolls(store, new ReceiverOptions { MaxWaits = 104 }, TimeProvider.System, NullLogger<LongPolls>.Instance);
        await polls.StartAsync(CancellationToken.None);
        try
        {
            long head = await store.GetHeadAsync();
            Task Watch(EventQuery query)
            {
                var poll = polls.TryEnter()!;
                var woken = poll.Woken.NextCommit;
                poll.Watch(query, head);
                return woken;
            }
            var byNumber = Enumerable.Range(0, 100).Select(i => Watch(new EventQuery { After = head, Kind = EventKind.Inbound, CustomerNumbers = [Number(i)] })).ToList();
            var statusOfM = Watch(new EventQuery { After = head, Kind = EventKind.Status, MessageId = "wamid.M" });
            var inboundOfM = Watch(new EventQuery { After = head, Kind = EventKind.Inbound, MessageId = "wamid.M" });
            var fromNextYear = Watch(new EventQuery { After = head, CustomerNumbers = [Number(7)], Since = DateTimeOffset.UtcNow.AddYears(1) });
            var anything = Watch(new EventQuery { After = head });
            Assert.Null(polls.TryEnter());

            // 200 commits none of the filters match (other numbers; the status of another message)...
            for (int i = 0; i < 200; i++) await Append(store, Payloads.Inbound($"wamid.OTHER{i}", "918000000" + i.ToString("000"), "noise"));
            await Append(store, Payloads.Status("wamid.OTHER", "sent", 1));
            // ...then one each for number 7 and for message M's status.
            await Append(store, Payloads.Inbound("wamid.SEVEN", Number(7), "hello", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
            await Append(store, Payloads.Status("wamid.M", "delivered", 2));

            await byNumber[7].WaitAsync(TimeSpan.FromSeconds(60));
            await statusOfM.WaitAsync(TimeSpan.FromSeconds(60));
            await anything.WaitAsync(TimeSpan.FromSeconds(60));
            // The tail reads in seq order, and the last event has woken its poll; stopping the tail waits for the read in
            // progress to finish matching, so every poll any of these events matched has been woken by now.
            await polls.StopAsync(CancellationToken.None);
            Assert.Equal([7], byNumber.Select((t, i) => (t, i)).Where(p => p.t.IsCompleted).Select(p => p.i));
            Assert.False(inboundOfM.IsCompleted, "an inbound-only poll was woken by a status");
            Assert.False(fromNextYear.IsCompleted, "a poll for events since next year was woken by one of today");
        }
        finally
        {
            await polls.StopAsync(CancellationToken.None);
        }
    }

    private static string Number(int i) => "9190000" + i.ToString("00000");

    private static Task<AppendResult> Append(IEventStore store, string body)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        return store.AppendAsync(new WebhookDelivery(bytes, WebhookEventMapper.Map(bytes), DateTimeOffset.UtcNow, null));
    }
}
