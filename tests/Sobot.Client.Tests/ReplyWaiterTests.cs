using Sobot.Client.Receiver;
using Sobot.Client.Webhooks;

namespace Sobot.Client.Tests;

/// <summary>
/// Which question a customer's message answers, and how a wait reads the store (one lookup, then long polls from the
/// head), against the receiver's query API in memory.
/// </summary>
public class ReplyWaiterTests
{
    private const string Asha = "919970585556";
    private const string Ravi = "919970585557";

    private static ReplyQuestion Question(string number, DateTimeOffset sentAt, string? messageId) => new(number, sentAt, messageId, messageId);

    private static Task<ReplyMatch?> NextAsync(ReplyWaiter waiter, int seconds = 30) =>
        waiter.NextAsync(DateTimeOffset.UtcNow.AddSeconds(seconds), CancellationToken.None);

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The condition did not hold within 30 s.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_reply_quoting_a_question_from_another_number_does_not_answer_it()
    {
        var fake = new FakeReceiver();
        using var client = fake.Client();
        var sent = DateTimeOffset.UtcNow.AddSeconds(-10);
        fake.Inbound(Ravi, "Yes", replyTo: "wamid.A");
        long real = fake.Inbound(Asha, "No", replyTo: "wamid.A");
        var waiter = new ReplyWaiter(client, [Question(Asha, sent, "wamid.A"), Question(Ravi, sent, "wamid.B")]);
        var ignored = new List<string>();
        waiter.Ignored = (m, why) => ignored.Add(why);

        var match = await NextAsync(waiter);

        Assert.Equal(("wamid.A", real), (match!.Question.MessageId, match.Reply.Seq!.Value));
        Assert.Equal("No", match.Reply.Text);
        // Ravi's quote of Asha's question answered neither Asha's question nor his own.
        Assert.Equal(["wamid.B"], waiter.Pending.Select(q => q.MessageId));
        Assert.Contains(ignored, why => why.Contains("sent to " + Asha) && why.Contains("comes from " + Ravi));
    }

    [Fact]
    public async Task A_reply_without_context_answers_the_newest_question_sent_before_it_arrived()
    {
        var fake = new FakeReceiver();
        using var client = fake.Client();
        var now = DateTimeOffset.UtcNow;
        var waiter = new ReplyWaiter(client, [Question(Asha, now.AddSeconds(-20), "wamid.OLD"), Question(Asha, now.AddSeconds(-10), "wamid.NEW")]);
        fake.Inbound(Asha, "first");
        fake.Inbound(Asha, "second");

        var first = await NextAsync(waiter);
        var second = await NextAsync(waiter);

        Assert.Equal(("wamid.NEW", "first"), (first!.Question.MessageId, first.Reply.Text));
        Assert.Equal(("wamid.OLD", "second"), (second!.Question.MessageId, second.Reply.Text));
    }

    [Fact]
    public async Task A_reply_written_before_a_question_answers_the_one_before_even_when_it_arrives_after_both()
    {
        var fake = new FakeReceiver();
        using var client = fake.Client();
        var now = DateTimeOffset.UtcNow;
        var waiter = new ReplyWaiter(client, [Question(Asha, now.AddSeconds(-60), "wamid.OLD"), Question(Asha, now.AddSeconds(-10), "wamid.NEW")]);
        fake.Inbound(Asha, "late", timestamp: now.AddSeconds(-30));   // written between the two, delivered only now

        var match = await NextAsync(waiter);

        Assert.Equal("wamid.OLD", match!.Question.MessageId);
    }

    [Fact]
    public async Task A_reply_stored_before_the_question_was_sent_never_answers_it_whatever_its_timestamp()
    {
        var fake = new FakeReceiver();
        using var client = fake.Client();
        var sent = DateTimeOffset.UtcNow.AddSeconds(-10);
        // Stored 20 s before the send, dated a minute after it (within the receiver's allowed skew, so its time stands),
        // and one dated in 2100 (which the receiver counts from its arrival).
        fake.Inbound(Asha, "forged", timestamp: sent.AddMinutes(1), receivedAt: sent.AddSeconds(-20));
        fake.Inbound(Asha, "forged 2100", timestamp: new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero), receivedAt: sent.AddSeconds(-20), replyTo: "wamid.Q");
        fake.Inbound(Asha, "real");
        var waiter = new ReplyWaiter(client, [Question(Asha, sent, "wamid.Q")]);

        Assert.Equal("real", (await NextAsync(waiter))!.Reply.Text);
    }

    [Fact]
    public async Task Numbers_are_compared_as_numbers_not_as_typed()
    {
        var fake = new FakeReceiver();
        using var client = fake.Client();
        fake.Inbound(Asha, "yes");
        var waiter = new ReplyWaiter(client, [Question("+91 99705-85556", DateTimeOffset.UtcNow.AddSeconds(-5), null)]);

        Assert.Equal("yes", (await NextAsync(waiter))!.Reply.Text);
        Assert.Contains(fake.Requests, r => r.Contains("customerNumber=" + Asha));
    }

    [Fact]
    public async Task A_wait_looks_up_once_then_long_polls_from_the_head_never_from_zero()
    {
        var fake = new FakeReceiver();
        using var client = fake.Client();
        fake.Filler(500);
        var waiter = new ReplyWaiter(client, [Question(Asha, DateTimeOffset.UtcNow, "wamid.Q")]);
        var next = NextAsync(waiter);
        await Until(() => fake.Requests.ToList().Any(r => r.Contains("waitMs=")));
        long reply = fake.Inbound(Asha, "ok", replyTo: "wamid.Q");

        Assert.Equal(reply, (await next)!.Reply.Seq);
        var events = fake.Requests.Where(r => r.Contains("/v1/events")).ToList();
        var lookup = Assert.Single(events, r => !r.Contains("waitMs="));
        Assert.Contains("after=0&", lookup);
        Assert.Contains("since=", lookup);
        Assert.All(events.Where(r => r.Contains("waitMs=")), r =>
        {
            Assert.Contains("customerNumber=" + Asha, r);
            Assert.True(long.Parse(r.Split("after=")[1].Split('&')[0]) >= 500, r);
        });
    }

    [Fact]
    public async Task A_long_poll_that_found_nothing_moves_on_to_the_head_so_it_never_lags_behind_the_store()
    {
        var fake = new FakeReceiver { MaxWaitMs = 100 };
        using var client = fake.Client();
        var waiter = new ReplyWaiter(client, [Question(Asha, DateTimeOffset.UtcNow, "wamid.Q")]);
        var next = NextAsync(waiter);
        await Until(() => fake.Requests.ToList().Any(r => r.Contains("waitMs=")));
        fake.Filler(50);   // other customers: no poll of this wait returns them
        await Until(() => fake.Requests.ToList().Any(r => r.Contains("waitMs=") && r.Contains("after=50&")));
        fake.Inbound(Asha, "ok");
        Assert.Equal("ok", (await next)!.Reply.Text);
    }

    [Fact]
    public async Task The_lookup_pages_while_pages_are_full()
    {
        var fake = new FakeReceiver();
        using var client = fake.Client();
        var sent = DateTimeOffset.UtcNow.AddSeconds(-5);
        // 1,200 messages dated after the question but stored before it was sent: found by the lookup, none an answer.
        for (int i = 0; i < 1200; i++) fake.Inbound(Asha, "early " + i, timestamp: sent.AddSeconds(1), receivedAt: sent.AddSeconds(-1));
        fake.Inbound(Asha, "answer");
        var waiter = new ReplyWaiter(client, [Question(Asha, sent, null)]);

        Assert.Equal("answer", (await NextAsync(waiter))!.Reply.Text);
        var lookups = fake.Requests.Where(r => r.Contains("/v1/events")).ToList();
        Assert.Equal(2, lookups.Count);
        Assert.Contains("after=0&", lookups[0]);
        Assert.Contains("after=1000&", lookups[1]);
        Assert.All(lookups, r => Assert.DoesNotContain("waitMs=", r));
    }

    [Fact]
    public async Task An_older_receiver_without_head_or_several_numbers_is_read_from_its_health_and_filtered_here()
    {
        var fake = new FakeReceiver { Older = true };
        using var client = fake.Client();
        fake.Filler(300);
        var now = DateTimeOffset.UtcNow;
        var waiter = new ReplyWaiter(client, [Question(Asha, now, "wamid.A"), Question(Ravi, now, "wamid.B")]);
        var next = NextAsync(waiter);
        await Until(() => fake.Requests.ToList().Any(r => r.Contains("waitMs=")));
        fake.Inbound("447946000001", "not ours");
        fake.Inbound(Ravi, "here");

        var match = await next;

        Assert.Equal(("wamid.B", "here"), (match!.Question.MessageId, match.Reply.Text));
        Assert.Contains("GET /healthz", fake.Requests);
        Assert.All(fake.Requests.Where(r => r.Contains("waitMs=")), r => Assert.True(long.Parse(r.Split("after=")[1].Split('&')[0]) >= 300, r));
    }

    [Fact]
    public async Task A_receiver_down_for_the_whole_wait_ends_it_as_an_outage_naming_the_url_and_never_the_key()
    {
        var fake = new FakeReceiver { Down = true };
        using var client = fake.Client();
        var waiter = new ReplyWaiter(client, [Question(Asha, DateTimeOffset.UtcNow, "wamid.Q")]);

        var outage = await Assert.ThrowsAsync<SobotReceiverUnavailableException>(() => NextAsync(waiter, seconds: 2));

        Assert.Contains("http://127.0.0.1:8081/v1/events", outage.Message);
        Assert.Contains("Connection refused", outage.Message);
        Assert.DoesNotContain(FakeReceiver.Key, outage.ToString());
        Assert.True(outage.UnreachableFor > TimeSpan.Zero);
        Assert.Single(waiter.Pending);
    }

    [Fact]
    public async Task A_receiver_that_comes_back_during_the_wait_is_used_and_the_answer_returned()
    {
        var fake = new FakeReceiver { Down = true };
        using var client = fake.Client();
        var notes = new List<string>();
        var waiter = new ReplyWaiter(client, [Question(Asha, DateTimeOffset.UtcNow, "wamid.Q")])
        {
            Unreachable = ex => notes.Add("down: " + ex.Reason),
            Reachable = length => notes.Add("back"),
        };
        var next = NextAsync(waiter);
        await Until(() => fake.Requests.Count >= 2 && waiter.Outage != null);
        fake.Inbound(Asha, "here", replyTo: "wamid.Q");
        fake.Down = false;

        Assert.Equal("here", (await next)!.Reply.Text);
        Assert.Null(waiter.Outage);
        Assert.Equal(["down: Connection refused (127.0.0.1:8081)", "back"], notes);
    }

    [Fact]
    public async Task A_refused_key_is_not_an_outage()
    {
        var fake = new FakeReceiver { ForcedStatus = 401 };
        using var client = fake.Client();
        var waiter = new ReplyWaiter(client, [Question(Asha, DateTimeOffset.UtcNow, null)]);

        var refused = await Assert.ThrowsAsync<SobotReceiverException>(() => NextAsync(waiter));

        Assert.True(refused.KeyRejected);
        Assert.IsNotType<SobotReceiverUnavailableException>(refused);
    }

    [Fact]
    public async Task A_delivery_wait_on_a_receiver_that_is_down_ends_as_an_outage_and_one_that_answers_as_usual()
    {
        var fake = new FakeReceiver { Down = true };
        using var client = fake.Client();
        var waiter = new DeliveryWaiter(client, [new KeyValuePair<string, object?>("wamid.M", null)], "Delivered");
        await Assert.ThrowsAsync<SobotReceiverUnavailableException>(() => waiter.NextAsync(DateTimeOffset.UtcNow.AddSeconds(2), CancellationToken.None));

        fake.Down = false;
        var next = waiter.NextAsync(DateTimeOffset.UtcNow.AddSeconds(30), CancellationToken.None);
        await Until(() => fake.Requests.ToList().Any(r => r.Contains("waitMs=")));
        fake.SentStatus("wamid.M", "delivered");
        Assert.Equal("delivered", (await next)!.Status.Status);
    }

    [Fact]
    public async Task A_long_poll_turned_away_with_429_is_asked_again_after_Retry_After_and_the_reply_still_returned()
    {
        var fake = new FakeReceiver { BusyPolls = 2 };
        using var client = fake.Client();
        var pauses = new List<TimeSpan>();
        var waiter = new ReplyWaiter(client, [Question(Asha, DateTimeOffset.UtcNow, "wamid.Q")])
        {
            Busy = pauses.Add,
            Unreachable = ex => Assert.Fail("A 429 is not an outage: " + ex.Message),
        };
        var next = NextAsync(waiter);
        await Until(() => fake.TurnedAway == 2);
        fake.Inbound(Asha, "yes", replyTo: "wamid.Q");

        Assert.Equal("yes", (await next)!.Reply.Text);
        Assert.Null(waiter.Outage);
        // Said once for the run of refusals, with the pause the receiver asked for.
        Assert.Equal([TimeSpan.FromSeconds(1)], pauses);
        // Asked again after each refusal, still as a long poll.
        Assert.True(fake.Requests.Count(r => r.Contains("waitMs=")) >= 3);
    }

    [Fact]
    public async Task A_wait_turned_away_until_its_deadline_reads_once_more_without_waiting_and_finds_the_reply()
    {
        var fake = new FakeReceiver { BusyPolls = int.MaxValue };
        using var client = fake.Client();
        // Stored while the wait is kept out: only a read after the lookup can find it.
        fake.OnTurnedAway = () =>
        {
            if (fake.TurnedAway == 1) fake.Inbound(Asha, "yes", replyTo: "wamid.Q");
        };
        // Sent a second ago: the fake stores the reply within a millisecond of the wait's start, and a reply stored
        // (to the millisecond) before its question was sent never answers it.
        var waiter = new ReplyWaiter(client, [Question(Asha, DateTimeOffset.UtcNow.AddSeconds(-1), "wamid.Q")]);

        // Long enough for the lookup to be done and the polls turned away even on a busy machine; all of it is waited.
        var match = await NextAsync(waiter, seconds: 10);

        Assert.True(fake.TurnedAway >= 1, "no long poll was made before the deadline");
        Assert.Equal("yes", match?.Reply.Text);
        // The last read had no wait (a receiver never turns those away).
        Assert.DoesNotContain("waitMs=", fake.Requests.Last());
    }

    [Fact]
    public async Task A_delivery_wait_turned_away_with_429_still_returns_the_status()
    {
        var fake = new FakeReceiver { BusyPolls = 1 };
        using var client = fake.Client();
        var waiter = new DeliveryWaiter(client, [new KeyValuePair<string, object?>("wamid.M", null)], "Delivered");
        var next = waiter.NextAsync(DateTimeOffset.UtcNow.AddSeconds(30), CancellationToken.None);
        await Until(() => fake.TurnedAway == 1);
        fake.SentStatus("wamid.M", "delivered");
        Assert.Equal("delivered", (await next)!.Status.Status);
        Assert.Null(waiter.Outage);
    }

    [Fact]
    public void Events_read_their_effective_time_and_the_head_and_fall_back_when_an_older_receiver_says_neither()
    {
        var page = SobotReceiverEventReader.ReadPage("""
            {"events":[
              {"seq":1,"type":"inbound","receivedAt":"2026-11-25T13:00:00.000Z","timestamp":"2100-01-01T00:00:00.000Z","from":"919970585556","raw":"{}"},
              {"seq":2,"type":"inbound","receivedAt":"2026-11-25T13:00:00.000Z","timestamp":"2026-11-25T12:59:58.000Z","from":"919970585556","raw":"{}"},
              {"seq":3,"type":"status","receivedAt":"2026-11-25T13:00:00.000Z","timestamp":"2100-01-01T00:00:00.000Z","effectiveAt":"2026-11-25T13:00:00.000Z","status":"read","raw":"{}"}],
             "next":3}
            """);
        var arrived = new DateTimeOffset(2026, 11, 25, 13, 0, 0, TimeSpan.Zero);
        Assert.Null(page.Head);
        Assert.Equal([arrived, arrived.AddSeconds(-2), arrived], page.Events.Select(e => e.EffectiveAt!.Value));
        Assert.Equal(42L, SobotReceiverEventReader.ReadPage("""{"events":[],"next":0,"head":42}""").Head);
    }
}
