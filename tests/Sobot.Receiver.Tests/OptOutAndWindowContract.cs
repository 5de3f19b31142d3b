using Sobot.Receiver.Store;

namespace Sobot.Receiver.Tests;

/// <summary>
/// What every <see cref="IEventStore"/> must do with opt-outs and conversation windows. A store implementation gets
/// these tests by deriving a class that says how to open a fresh, empty store.
/// </summary>
public abstract class OptOutAndWindowContract
{
    private const string Number = "919960123456";

    /// <summary>A new, empty store; the test disposes it.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    private static Task<AppendResult> Say(IEventStore store, string id, string text, long timestamp, string from = Number) =>
        store.AppendAsync(Deliveries.Of(Payloads.Inbound(id, from, text, timestamp)));

    /// <summary>A message dated <paramref name="timestamp"/> that reaches the receiver at <paramref name="arrival"/>.</summary>
    private static Task<AppendResult> SayAt(IEventStore store, string id, string text, long timestamp, DateTimeOffset arrival, string from = Number) =>
        store.AppendAsync(Deliveries.Of(Payloads.Inbound(id, from, text, timestamp), arrival));

    private static DateTimeOffset At(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData("  Stop  ")]
    [InlineData("stop all")]
    [InlineData("STOP ALL")]
    [InlineData("Cancel")]
    [InlineData("unsubscribe")]
    [InlineData(" UNSUBSCRIBE")]
    [InlineData("\\tstop\\n")]
    public async Task A_stop_word_in_any_case_puts_the_number_on_the_list(string text)
    {
        await using var store = await CreateStoreAsync();
        await Say(store, "wamid.STOP", text, 1_700_000_000);
        Assert.Equal(new OptOutRecord(Number, At(1_700_000_000), "inbound:wamid.STOP"), await store.GetOptOutAsync(Number));
        Assert.Equal([Number], (await store.ListOptOutsAsync()).Select(o => o.CustomerNumber));
    }

    [Theory]
    [InlineData("please stop")]
    [InlineData("STOP!")]
    [InlineData("STOPP")]
    [InlineData("don't stop")]
    [InlineData("stop  all")]
    [InlineData("")]
    public async Task A_text_that_only_contains_a_stop_word_does_nothing(string text)
    {
        await using var store = await CreateStoreAsync();
        await Say(store, "wamid.X", text, 1_700_000_000);
        Assert.Null(await store.GetOptOutAsync(Number));
        Assert.Empty(await store.ListOptOutsAsync());
    }

    [Fact]
    public async Task A_media_caption_is_not_judged()
    {
        await using var store = await CreateStoreAsync();
        await store.AppendAsync(Deliveries.Of("""
            [{"field":"messages","value":{"messages":[{"from":"919960123456","id":"wamid.IMG","timestamp":"1700000000","type":"image",
              "image":{"id":"1","mime_type":"image/jpeg","caption":"STOP"}}]}}]
            """));
        Assert.Null(await store.GetOptOutAsync(Number));
        Assert.Equal("wamid.IMG", Assert.Single(await store.GetLastInboundAsync([Number])).MessageId);
    }

    [Fact]
    public async Task Start_takes_the_number_off_the_list()
    {
        await using var store = await CreateStoreAsync();
        await Say(store, "wamid.1", "STOP", 1_700_000_000);
        await Say(store, "wamid.2", " start ", 1_700_000_100);
        Assert.Null(await store.GetOptOutAsync(Number));
        await Say(store, "wamid.3", "Stop", 1_700_000_200);
        Assert.Equal("inbound:wamid.3", (await store.GetOptOutAsync(Number))!.Source);
    }

    [Fact]
    public async Task Button_text_stop_counts_for_quick_replies_and_template_buttons()
    {
        await using var store = await CreateStoreAsync();
        await store.AppendAsync(Deliveries.Of(Payloads.ButtonReply("wamid.B1", "911111111111", "STOP", contextId: "wamid.Q")));
        await store.AppendAsync(Deliveries.Of(Payloads.TemplateButton("wamid.B2", "922222222222", "Stop all")));
        await store.AppendAsync(Deliveries.Of(Payloads.ButtonReply("wamid.B3", "933333333333", "Yes", contextId: null)));
        Assert.Equal(["911111111111", "922222222222"], (await store.ListOptOutsAsync()).Select(o => o.CustomerNumber));
        Assert.Equal("inbound:wamid.B2", (await store.GetOptOutAsync("922222222222"))!.Source);
    }

    [Fact]
    public async Task Stop_and_start_are_ordered_by_message_time_not_arrival()
    {
        await using var store = await CreateStoreAsync();
        // START (t=200) arrives before the STOP it answers (t=100): the customer's last word was START.
        await Say(store, "wamid.START", "START", 200);
        await Say(store, "wamid.STOP", "STOP", 100);
        Assert.Null(await store.GetOptOutAsync(Number));
        await Say(store, "wamid.STOP2", "STOP", 300);
        Assert.Equal(At(300), (await store.GetOptOutAsync(Number))!.Since);
        // A START from before that STOP, arriving late, changes nothing.
        await Say(store, "wamid.START0", "START", 250);
        Assert.NotNull(await store.GetOptOutAsync(Number));
        // A STOP at the same second as the last decision still counts.
        await Say(store, "wamid.START2", "START", 400);
        await Say(store, "wamid.STOP3", "STOP", 400);
        Assert.Equal("inbound:wamid.STOP3", (await store.GetOptOutAsync(Number))!.Source);
    }

    [Fact]
    public async Task A_second_stop_keeps_the_first_since_and_source()
    {
        await using var store = await CreateStoreAsync();
        await Say(store, "wamid.1", "STOP", 100);
        await Say(store, "wamid.2", "CANCEL", 200);
        Assert.Equal(new OptOutRecord(Number, At(100), "inbound:wamid.1"), await store.GetOptOutAsync(Number));
    }

    [Fact]
    public async Task A_duplicate_webhook_does_not_apply_again()
    {
        await using var store = await CreateStoreAsync();
        await Say(store, "wamid.STOP", "STOP", 1_700_000_000);
        Assert.True(await store.RemoveOptOutAsync(Number));
        var again = await Say(store, "wamid.STOP", "STOP", 1_700_000_000);
        Assert.Equal((0, 1), (again.Stored, again.Duplicates));
        Assert.Null(await store.GetOptOutAsync(Number));
        Assert.Equal("wamid.STOP", Assert.Single(await store.GetLastInboundAsync([Number])).MessageId);
    }

    [Fact]
    public async Task Manual_add_is_idempotent_and_remove_says_whether_there_was_one()
    {
        await using var store = await CreateStoreAsync();
        var since = new DateTimeOffset(2026, 11, 25, 13, 0, 0, 123, TimeSpan.Zero);
        var added = await store.AddOptOutAsync(Number, "manual:alice@host", since);
        Assert.Equal(new OptOutRecord(Number, since, "manual:alice@host"), added);
        var again = await store.AddOptOutAsync(Number, "manual:bob@host", since.AddHours(1));
        Assert.Equal(added, again);
        Assert.Equal(added, await store.GetOptOutAsync(Number));
        Assert.True(await store.RemoveOptOutAsync(Number));
        Assert.False(await store.RemoveOptOutAsync(Number));
        Assert.Null(await store.GetOptOutAsync(Number));
        Assert.False(await store.RemoveOptOutAsync("15550000000"));
    }

    [Fact]
    public async Task A_manual_decision_outranks_older_messages_but_not_newer_ones()
    {
        await using var store = await CreateStoreAsync();
        var since = At(1_000_000);
        await store.AddOptOutAsync(Number, "manual:alice@host", since);
        await Say(store, "wamid.OLDSTART", "START", 999_999);
        Assert.NotNull(await store.GetOptOutAsync(Number));
        await Say(store, "wamid.NEWSTART", "START", 1_000_001);
        Assert.Null(await store.GetOptOutAsync(Number));

        // A manual remove is a decision made now: a STOP written before it, arriving after, is not applied...
        await Say(store, "wamid.STOP", "STOP", 1_000_002);
        Assert.True(await store.RemoveOptOutAsync(Number));
        await Say(store, "wamid.LATESTOP", "STOP", DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds());
        Assert.Null(await store.GetOptOutAsync(Number));
        // ...one written after it is.
        await Say(store, "wamid.NEWSTOP", "STOP", DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
        Assert.Equal("inbound:wamid.NEWSTOP", (await store.GetOptOutAsync(Number))!.Source);
    }

    [Fact]
    public async Task The_last_inbound_is_the_latest_by_message_time_whatever_the_arrival_order()
    {
        await using var store = await CreateStoreAsync();
        await Say(store, "wamid.B", "second", 1_700_000_200);
        await Say(store, "wamid.A", "first", 1_700_000_100);
        await Say(store, "wamid.O", "other", 1_700_000_050, from: "911111111111");
        await store.AppendAsync(Deliveries.Of(Payloads.Status("wamid.S", "read", 1_800_000_000)));
        var windows = await store.GetLastInboundAsync([Number, "911111111111", "922222222222"]);
        Assert.Equal(
            [new LastInboundRecord("911111111111", At(1_700_000_050), "wamid.O"), new LastInboundRecord(Number, At(1_700_000_200), "wamid.B")],
            windows.OrderBy(w => w.CustomerNumber));
        await Say(store, "wamid.C", "third", 1_700_000_300);
        Assert.Equal("wamid.C", Assert.Single(await store.GetLastInboundAsync([Number])).MessageId);
        Assert.Empty(await store.GetLastInboundAsync([]));
    }

    [Fact]
    public async Task Numbers_are_kept_in_the_clients_canonical_form()
    {
        await using var store = await CreateStoreAsync();
        await Say(store, "wamid.1", "STOP", 1_700_000_000, from: "+91 99601-23456");
        Assert.Equal(Number, (await store.GetOptOutAsync("+91 99601-23456"))!.CustomerNumber);
        Assert.Equal(Number, (await store.GetOptOutAsync("0091 (9960) 123456"))!.CustomerNumber);
        Assert.Equal(Number, Assert.Single(await store.GetLastInboundAsync(["+91 9960 123 456", Number])).CustomerNumber);
        Assert.Equal("15550100", (await store.AddOptOutAsync("+1 555-0100", "manual:x", DateTimeOffset.UtcNow)).CustomerNumber);
        Assert.True(await store.RemoveOptOutAsync("1-555-0100"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetOptOutAsync("call me"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddOptOutAsync("020 7946 0958", "manual:x", DateTimeOffset.UtcNow));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetLastInboundAsync(["+"]));
        Assert.Equal([Number], (await store.ListOptOutsAsync()).Select(o => o.CustomerNumber));
    }

    [Fact]
    public async Task A_start_dated_2100_does_not_outweigh_a_real_stop_that_arrives_later()
    {
        await using var store = await CreateStoreAsync();
        var arrival = DateTimeOffset.UtcNow.AddMinutes(-10);
        await SayAt(store, "wamid.FORGED", "START", 4_102_444_800, arrival);
        Assert.Null(await store.GetOptOutAsync(Number));
        var later = arrival.AddMinutes(1);
        await SayAt(store, "wamid.REAL", "STOP", later.ToUnixTimeSeconds(), later);
        var optOut = await store.GetOptOutAsync(Number);
        Assert.Equal(("inbound:wamid.REAL", later.ToUnixTimeSeconds()), (optOut?.Source, optOut?.Since.ToUnixTimeSeconds()));
        // A STOP dated 2100 is one that arrived when it did: a START written after it takes the number off.
        await SayAt(store, "wamid.FORGEDSTOP", "STOP", 4_102_444_800, later.AddMinutes(1), from: "911111111111");
        Assert.Equal(later.AddMinutes(1).ToUnixTimeSeconds() * 1000, (await store.GetOptOutAsync("911111111111"))!.Since.ToUnixTimeMilliseconds());
        await SayAt(store, "wamid.REALSTART", "START", later.AddMinutes(2).ToUnixTimeSeconds(), later.AddMinutes(2), from: "911111111111");
        Assert.Null(await store.GetOptOutAsync("911111111111"));
    }

    /// <summary>
    /// The race an attacker would try: a START dated 2100 lands 300 ms into a second, and the customer's real STOP,
    /// stamped with that same second, arrives 200 ms later. Equal effective times: the later arrival wins.
    /// </summary>
    [Fact]
    public async Task A_start_dated_2100_loses_to_a_stop_of_the_same_second_that_arrives_after_it()
    {
        await using var store = await CreateStoreAsync();
        var second = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds());
        await SayAt(store, "wamid.FORGED", "START", 4_102_444_800, second.AddMilliseconds(300));
        await SayAt(store, "wamid.REAL", "STOP", second.ToUnixTimeSeconds(), second.AddMilliseconds(500));
        Assert.Equal("inbound:wamid.REAL", (await store.GetOptOutAsync(Number))?.Source);
    }

    /// <summary>
    /// A timestamp within the allowed skew may still put a decision a little ahead of the clock. A manual remove or
    /// add is made now all the same, and a message after it counts, even one dated before that earlier decision.
    /// </summary>
    [Fact]
    public async Task Remove_and_add_set_the_state_as_of_now_whatever_was_decided_before()
    {
        await using var store = await CreateStoreAsync();
        var now = DateTimeOffset.UtcNow;
        await SayAt(store, "wamid.STOPAHEAD", "STOP", now.AddSeconds(170).ToUnixTimeSeconds(), now);
        Assert.NotNull(await store.GetOptOutAsync(Number));
        Assert.True(await store.RemoveOptOutAsync(Number));
        Assert.Null(await store.GetOptOutAsync(Number));
        // Written after the removal, dated before the decision the STOP had made: it counts.
        var stop = DateTimeOffset.UtcNow.AddSeconds(60);
        await SayAt(store, "wamid.STOPAGAIN", "STOP", stop.ToUnixTimeSeconds(), DateTimeOffset.UtcNow);
        Assert.Equal("inbound:wamid.STOPAGAIN", (await store.GetOptOutAsync(Number))?.Source);

        const string other = "922222222222";
        await SayAt(store, "wamid.STARTAHEAD", "START", DateTimeOffset.UtcNow.AddSeconds(170).ToUnixTimeSeconds(), DateTimeOffset.UtcNow, from: other);
        await store.AddOptOutAsync(other, "manual:alice@host", DateTimeOffset.UtcNow);
        Assert.Equal("manual:alice@host", (await store.GetOptOutAsync(other))?.Source);
        await SayAt(store, "wamid.STARTAGAIN", "START", DateTimeOffset.UtcNow.AddSeconds(60).ToUnixTimeSeconds(), DateTimeOffset.UtcNow, from: other);
        Assert.Null(await store.GetOptOutAsync(other));
    }

    [Fact]
    public async Task A_message_dated_ten_years_ahead_opens_the_window_from_its_arrival_only()
    {
        await using var store = await CreateStoreAsync();
        var arrival = new DateTimeOffset(2026, 11, 25, 13, 0, 0, 500, TimeSpan.Zero);
        await SayAt(store, "wamid.FUTURE", "hello", arrival.AddYears(10).ToUnixTimeSeconds(), arrival);
        // The window is open for 24 hours from lastInboundAt: from the arrival, not from 2036.
        Assert.Equal(new LastInboundRecord(Number, DateTimeOffset.FromUnixTimeSeconds(arrival.ToUnixTimeSeconds()), "wamid.FUTURE"), Assert.Single(await store.GetLastInboundAsync([Number])));
        // A real message after it moves the window on; it would not have while the window ended in 2036.
        await SayAt(store, "wamid.REAL", "later", arrival.AddMinutes(5).ToUnixTimeSeconds(), arrival.AddMinutes(5));
        Assert.Equal("wamid.REAL", Assert.Single(await store.GetLastInboundAsync([Number])).MessageId);
    }
}
