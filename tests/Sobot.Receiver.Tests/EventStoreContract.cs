using System.Text;
using Sobot.Client.Webhooks;
using Sobot.Receiver.Ingress;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Tests;

/// <summary>
/// What every event store promises, run against each store by a subclass that says how to open one. Each test gets a
/// store of its own; <see cref="OpenAsync"/> opens that same store again (a restart) each time it is called.
/// </summary>
public abstract class EventStoreContract
{
    /// <summary>Opens this test's store: empty the first time, holding what was written before afterwards.</summary>
    /// <param name="clock">The store's clock (the system's when null): a test of what time does moves a settable one.</param>
    protected abstract Task<IEventStore> OpenAsync(TimeProvider? clock = null);

    /// <summary>A clock a test moves by hand, so that "a lease runs out" never depends on how fast the machine is.</summary>
    protected sealed class SettableClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    protected static WebhookDelivery Delivery(string body, DateTimeOffset? receivedAt = null) =>
        new(Encoding.UTF8.GetBytes(body), WebhookEventMapper.Map(Encoding.UTF8.GetBytes(body)), receivedAt ?? DateTimeOffset.UtcNow, "127.0.0.1");

    [Fact]
    public async Task Events_consumers_and_statuses_outlive_a_reopen()
    {
        await using (var store = await OpenAsync())
        {
            Assert.Equal((1, 0), Counts(await store.AppendAsync(Delivery(Payloads.Status("wamid.1", "sent", 1)))));
            await store.AppendAsync(Delivery(Payloads.Status("wamid.1", "read", 3)));
            await store.SetConsumerAsync("helpdesk", 2);
        }
        await using (var store = await OpenAsync())
        {
            Assert.Equal("read", (await store.GetStatusAsync("wamid.1"))!.Status);
            Assert.Equal(2, (await store.GetConsumerAsync("helpdesk"))!.Position);
            var events = await store.ReadEventsAsync(new EventQuery());
            Assert.Equal(2, events.Count);
            Assert.True(events[0].Seq < events[1].Seq);
            var health = await store.GetHealthAsync();
            Assert.Equal((2L, events[1].Seq), (health.EventCount, health.LastSeq));
        }
    }

    [Fact]
    public async Task Event_keys_are_the_filter_fields_of_the_events_after_a_cursor_in_seq_order()
    {
        await using var store = await OpenAsync();
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.K1", "+91 98765-00040", "a", 1_700_000_000)));
        await store.AppendAsync(Delivery(Payloads.Array(Payloads.Status("wamid.K2", "sent", 1_700_000_100), Payloads.Status("wamid.K2", "read", 1_700_000_200))));
        await store.AppendAsync(Delivery("not json"));
        var events = await store.ReadEventsAsync(new EventQuery());
        var keys = await store.ReadEventKeysAsync(0, 1000);
        Assert.Equal(events.Select(e => new EventKeys(e.Seq, e.Kind, e.CustomerNumber, e.MessageId, e.EffectiveAt)), keys);
        Assert.Equal((EventKind.Inbound, "919876500040", "wamid.K1"), (keys[0].Kind, keys[0].CustomerNumber, keys[0].MessageId));
        Assert.Equal((EventKind.Unknown, null, null), (keys[3].Kind, keys[3].CustomerNumber, keys[3].MessageId));
        Assert.Equal(keys.Skip(1).Take(2), await store.ReadEventKeysAsync(keys[0].Seq, 2));
        Assert.Empty(await store.ReadEventKeysAsync(keys[3].Seq, 1000));
    }

    [Fact]
    public async Task Pruning_removes_old_events_only_and_their_seqs_are_never_reused()
    {
        await using var store = await OpenAsync();
        var old = DateTimeOffset.UtcNow.AddDays(-10);
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.P1", "911", "a"), old));
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.P2", "911", "b"), old.AddMinutes(1)));
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.P3", "911", "c")));
        long last = (await store.GetHealthAsync()).LastSeq;
        // Batches: one row of each table at a time, until nothing is older than the cutoff.
        Assert.Equal(2, await store.PruneAsync(DateTimeOffset.UtcNow.AddDays(-1), 1));
        Assert.Equal(2, await store.PruneAsync(DateTimeOffset.UtcNow.AddDays(-1), 1));
        Assert.Equal(0, await store.PruneAsync(DateTimeOffset.UtcNow.AddDays(-1), 1));
        Assert.Equal(["wamid.P3"], (await store.ReadEventsAsync(new EventQuery())).Select(e => e.MessageId));
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.P4", "911", "d")));
        var events = await store.ReadEventsAsync(new EventQuery());
        Assert.Equal(last, events[0].Seq);
        Assert.True(events[1].Seq > last);
    }

    [Fact]
    public async Task The_retention_service_prunes_everything_older_than_its_period_batch_after_batch()
    {
        await using var store = await OpenAsync();
        var old = DateTimeOffset.UtcNow.AddDays(-40);
        for (int i = 0; i < 3; i++) await store.AppendAsync(Delivery(Payloads.Inbound($"wamid.OLD{i}", "911", "old"), old.AddHours(i)));
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.YOUNG", "911", "young"), DateTimeOffset.UtcNow.AddDays(-29)));
        var retention = new RetentionService(store, TimeSpan.FromDays(30), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<RetentionService>.Instance);
        Assert.Equal(6, await retention.PruneAllAsync(CancellationToken.None));
        Assert.Equal(["wamid.YOUNG"], (await store.ReadEventsAsync(new EventQuery())).Select(e => e.MessageId));
        Assert.Equal(0, await retention.PruneAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_commit_signal_fires_after_the_events_are_readable_and_not_for_duplicates()
    {
        await using var store = await OpenAsync();
        var next = store.Commits.NextCommit;
        var append = store.AppendAsync(Delivery(Payloads.Inbound("wamid.S", "911", "hi")));
        await next.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Single(await store.ReadEventsAsync(new EventQuery()));
        await append;
        var quiet = store.Commits.NextCommit;
        var again = await store.AppendAsync(Delivery(Payloads.Inbound("wamid.S", "911", "hi")));
        Assert.Equal((0, 1), Counts(again));
        // An ordering fact, not a wait: the writer commits one batch after another and pulses for a batch before it
        // takes the next, so once a later write (which stores no event) has committed, a pulse for the duplicate
        // would have been given already.
        await store.SetConsumerAsync("after-the-duplicate", 0);
        Assert.False(quiet.IsCompleted, "the commit signal fired for a post that stored nothing new");
    }

    [Fact]
    public async Task Writes_after_shutdown_are_refused_as_unavailable()
    {
        var store = await OpenAsync();
        await store.DisposeAsync();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AppendAsync(Delivery("[]")));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.SetConsumerAsync("x", 1));
    }

    [Fact]
    public async Task The_same_event_posted_at_once_many_times_is_stored_once()
    {
        await using var store = await OpenAsync();
        string body = Payloads.Array(Payloads.Status("wamid.D", "sent", 5), Payloads.Status("wamid.D", "sent", 5));
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.AppendAsync(Delivery(body))));
        Assert.Equal(1, results.Sum(r => r.Stored));
        Assert.Equal(39, results.Sum(r => r.Duplicates));
        Assert.Single(await store.ReadEventsAsync(new EventQuery()));
        // A body without events is kept all the same (Sobot's shapes change; nothing is thrown away).
        var empty = await store.AppendAsync(Delivery("[]"));
        Assert.Equal((0, 0), Counts(empty));
    }

    [Fact]
    public async Task The_latest_status_only_moves_forward_whatever_the_arrival_order()
    {
        await using var store = await OpenAsync();
        await store.AppendAsync(Delivery(Payloads.Status("wamid.M", "read", 300)));
        await store.AppendAsync(Delivery(Payloads.Status("wamid.M", "sent", 100)));
        await store.AppendAsync(Delivery(Payloads.Status("wamid.M", "delivered", 200)));
        var m = (await store.GetStatusAsync("wamid.M"))!;
        Assert.Equal(("read", 300L), (m.Status, m.Timestamp!.Value.ToUnixTimeSeconds()));
        Assert.Equal((100L, 200L, 300L), (m.SentAt!.Value.ToUnixTimeSeconds(), m.DeliveredAt!.Value.ToUnixTimeSeconds(), m.ReadAt!.Value.ToUnixTimeSeconds()));
        var events = await store.ReadEventsAsync(new EventQuery { MessageId = "wamid.M" });
        Assert.Equal(events[0].Seq, m.Seq);

        // The earliest time of a stage wins when it comes twice.
        await store.AppendAsync(Delivery(Payloads.Status("wamid.E", "sent", 500)));
        await store.AppendAsync(Delivery(Payloads.Array(Payloads.Status("wamid.E", "sent", 400), Payloads.Status("wamid.E", "delivered", 600))));
        Assert.Equal(500L, (await store.GetStatusAsync("wamid.E"))!.SentAt!.Value.ToUnixTimeSeconds());

        await store.AppendAsync(Delivery(Payloads.Status("wamid.N", "delivered", 200)));
        await store.AppendAsync(Delivery(Payloads.Status("wamid.N", "sent", 100)));
        await store.AppendAsync(Delivery(Payloads.Status("wamid.N", "deleted", 400)));
        Assert.Equal("delivered", (await store.GetStatusAsync("wamid.N"))!.Status);
        Assert.Equal(3, (await store.ReadEventsAsync(new EventQuery { MessageId = "wamid.N" })).Count);

        // An unknown status alone still gives the message a status row (rank 0), replaced by the first known one.
        await store.AppendAsync(Delivery(Payloads.Status("wamid.U", "deleted", 50)));
        Assert.Equal("deleted", (await store.GetStatusAsync("wamid.U"))!.Status);
        await store.AppendAsync(Delivery(Payloads.Status("wamid.U", "sent", 40)));
        Assert.Equal("sent", (await store.GetStatusAsync("wamid.U"))!.Status);

        // failed is terminal, and its reason and recipient are kept.
        await store.AppendAsync(Delivery(Payloads.Status("wamid.F", "sent", 100)));
        await store.AppendAsync(Delivery(Payloads.Failed("wamid.F", 150, "919999999999")));
        await store.AppendAsync(Delivery(Payloads.Status("wamid.F", "read", 200)));
        var f = (await store.GetStatusAsync("wamid.F"))!;
        Assert.Equal(("failed", 131026, "Message undeliverable", "919999999999"), (f.Status, f.ErrorCode, f.ErrorTitle, f.RecipientId));
        Assert.Equal(150L, f.FailedAt!.Value.ToUnixTimeSeconds());
        // The later stage's time is still recorded; only the status stays failed.
        Assert.Equal(200L, f.ReadAt!.Value.ToUnixTimeSeconds());

        Assert.Null(await store.GetStatusAsync("wamid.NEVER"));
    }

    /// <summary>
    /// The store's SQL keeps the status the client's <see cref="StatusProgression"/> ranks higher (the first on a tie),
    /// for every pair of status words in both orders, and records each known word's time in its own stage.
    /// The stores compare a rank column the append computes with that rule; this checks what the SQL does with it.
    /// </summary>
    [Fact]
    public async Task The_kept_status_is_the_one_the_client_ranks_higher()
    {
        await using var store = await OpenAsync();
        string[] words = ["sent", "delivered", "read", "failed", "deleted"];
        foreach (var first in words)
            foreach (var second in words)
            {
                string id = $"wamid.P.{first}.{second}";
                await store.AppendAsync(Delivery(Payloads.Status(id, first, 100)));
                await store.AppendAsync(Delivery(Payloads.Status(id, second, 200)));
                var kept = (await store.GetStatusAsync(id))!;
                string expected = StatusProgression.Rank(second) > StatusProgression.Rank(first) ? second : first;
                Assert.True(expected == kept.Status, $"{first} then {second}: kept {kept.Status}, the client's rank says {expected}");
                // A stage seen twice keeps its earliest time.
                foreach (var (word, time) in first == second ? new[] { (first, 100L) } : new[] { (first, 100L), (second, 200L) })
                    if (StageTime(kept, word) is { } stage)
                        Assert.True(time == stage, $"{first} then {second}: the {word} stage holds {stage}, not {time}");
            }
    }

    private static long? StageTime(MessageStatusRecord record, string status) => StatusProgression.Rank(status) switch
    {
        StatusProgression.Sent => record.SentAt?.ToUnixTimeSeconds() ?? -1,
        StatusProgression.Delivered => record.DeliveredAt?.ToUnixTimeSeconds() ?? -1,
        StatusProgression.Read => record.ReadAt?.ToUnixTimeSeconds() ?? -1,
        StatusProgression.Failed => record.FailedAt?.ToUnixTimeSeconds() ?? -1,
        _ => null,
    };

    [Fact]
    public async Task Statuses_are_answered_in_batches_leaving_out_ids_without_one()
    {
        await using var store = await OpenAsync();
        await store.AppendAsync(Delivery(Payloads.Array(Enumerable.Range(0, 50).Select(i => Payloads.Status($"wamid.B{i}", i % 2 == 0 ? "read" : "sent", i)).ToArray())));
        var statuses = await store.GetStatusesAsync(Enumerable.Range(0, 60).Select(i => $"wamid.B{i}").ToArray());
        Assert.Equal(50, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(int.Parse(s.MessageId["wamid.B".Length..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? "read" : "sent", s.Status));
        Assert.Empty(await store.GetStatusesAsync([]));
    }

    [Fact]
    public async Task Events_are_filtered_and_paged_by_cursor()
    {
        await using var store = await OpenAsync();
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.I1", "911", "one", 1000)));
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.I2", "922", "two", 2000)));
        await store.AppendAsync(Delivery(Payloads.Status("wamid.I1", "read", 3000)));
        await store.AppendAsync(Delivery("not json"));
        var all = await store.ReadEventsAsync(new EventQuery());
        Assert.Equal(4, all.Count);
        Assert.Equal([EventKind.Inbound, EventKind.Inbound, EventKind.Status, EventKind.Unknown], all.Select(e => e.Kind));
        Assert.Equal("not json", all[3].RawText);
        Assert.Equal(2, (await store.ReadEventsAsync(new EventQuery { Kind = EventKind.Inbound })).Count);
        Assert.Equal(["wamid.I2"], (await store.ReadEventsAsync(new EventQuery { CustomerNumbers = ["922"] })).Select(e => e.MessageId));
        Assert.Equal(2, (await store.ReadEventsAsync(new EventQuery { MessageId = "wamid.I1" })).Count);
        var since = await store.ReadEventsAsync(new EventQuery { Since = DateTimeOffset.FromUnixTimeSeconds(2000), Kind = EventKind.Inbound });
        Assert.Equal(["wamid.I2"], since.Select(e => e.MessageId));
        var page = await store.ReadEventsAsync(new EventQuery { After = all[0].Seq, Limit = 2 });
        Assert.Equal(all.Skip(1).Take(2).Select(e => e.Seq), page.Select(e => e.Seq));
        Assert.Contains("\"one\"", all[0].FieldsJson, StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1000), all[0].EventTime);
    }

    [Fact]
    public async Task Consumers_are_null_until_set_listed_by_name_and_overwritten()
    {
        await using var store = await OpenAsync();
        Assert.Null(await store.GetConsumerAsync("zeta"));
        await store.SetConsumerAsync("zeta", 5);
        await store.SetConsumerAsync("Alpha", 1);
        var set = await store.SetConsumerAsync("zeta", 3);
        Assert.Equal(("zeta", 3L), (set.Name, set.Position));
        Assert.Equal([("Alpha", 1L), ("zeta", 3L)], (await store.ListConsumersAsync()).Select(c => (c.Name, c.Position)));
        Assert.NotNull((await store.GetConsumerAsync("zeta"))!.UpdatedAt);
        var empty = await store.GetHealthAsync();
        Assert.Equal((0L, 0L, null), (empty.EventCount, empty.LastSeq, empty.LastEventAt));
    }

    [Fact]
    public async Task Each_event_keeps_its_timestamp_and_arrival_and_decisions_use_the_effective_time()
    {
        await using var store = await OpenAsync();
        var arrival = new DateTimeOffset(2026, 11, 25, 13, 0, 0, 250, TimeSpan.Zero);
        long now = arrival.ToUnixTimeSeconds();
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.PAST", "911111111111", "a", now - 3600), arrival));
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.SKEW", "911111111111", "b", now + 170), arrival));
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.AHEAD", "911111111111", "c", now + 190), arrival));
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.2100", "911111111111", "d", 4_102_444_800), arrival));
        await store.AppendAsync(Delivery("""{"id":"wamid.S","status":"sent"}""", arrival));
        var events = (await store.ReadEventsAsync(new EventQuery())).ToDictionary(e => e.MessageId!);
        // The timestamp as it came, the arrival, and the effective time: the timestamp unless it is more than three
        // minutes past the arrival.
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(4_102_444_800), events["wamid.2100"].EventTime);
        Assert.Equal(arrival, events["wamid.2100"].ReceivedAt);
        // A replaced timestamp is the arrival's second, as WhatsApp's own timestamps are whole seconds.
        var arrivalSecond = DateTimeOffset.FromUnixTimeSeconds(now);
        Assert.Equal(arrivalSecond, events["wamid.2100"].EffectiveAt);
        Assert.Equal(arrivalSecond, events["wamid.AHEAD"].EffectiveAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now + 170), events["wamid.SKEW"].EffectiveAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now - 3600), events["wamid.PAST"].EffectiveAt);
        Assert.Equal((null, arrivalSecond), (events["wamid.S"].EventTime, events["wamid.S"].EffectiveAt));
        // since compares effective times: a date in 2100 does not make an event newer than what arrived after it.
        var since = await store.ReadEventsAsync(new EventQuery { Since = arrival.AddSeconds(1), Kind = EventKind.Inbound });
        Assert.Equal(["wamid.SKEW"], since.Select(e => e.MessageId));
    }

    [Fact]
    public async Task The_head_is_the_highest_seq_committed()
    {
        await using var store = await OpenAsync();
        Assert.Equal(0, await store.GetHeadAsync());
        await store.AppendAsync(Delivery(Payloads.Array(Payloads.Status("wamid.H1", "sent", 1), Payloads.Status("wamid.H2", "sent", 2))));
        var events = await store.ReadEventsAsync(new EventQuery());
        Assert.Equal(events[^1].Seq, await store.GetHeadAsync());
    }

    [Fact]
    public async Task Events_of_several_customers_are_read_in_one_query_by_canonical_number()
    {
        await using var store = await OpenAsync();
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.A", "+91 98765-00040", "a", 1000)));
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.B", "919876500041", "b", 1001)));
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.C", "919876500042", "c", 1002)));
        await store.AppendAsync(Delivery(Payloads.Failed("wamid.F", 1003, "+919876500040")));
        Assert.Equal(["wamid.A", "wamid.C", "wamid.F"],
            (await store.ReadEventsAsync(new EventQuery { CustomerNumbers = ["919876500040", "919876500042"] })).Select(e => e.MessageId));
        Assert.Equal(["wamid.A", "wamid.C"],
            (await store.ReadEventsAsync(new EventQuery { CustomerNumbers = ["919876500040", "919876500042"], Kind = EventKind.Inbound })).Select(e => e.MessageId));
        var first = await store.ReadEventsAsync(new EventQuery());
        Assert.Equal(["wamid.C"], (await store.ReadEventsAsync(new EventQuery { CustomerNumbers = ["919876500042"], After = first[0].Seq })).Select(e => e.MessageId));
        // The number is kept as the key, the message as it came.
        Assert.Equal("919876500040", first[0].CustomerNumber);
        Assert.Contains("\"+91 98765-00040\"", first[0].FieldsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consumer_is_read_by_one_holder_at_a_time()
    {
        await using var store = await OpenAsync();
        var alice = await store.LeaseConsumerAsync("helpdesk", "holder-a", "alice@web01 pid 4242", TimeSpan.FromMinutes(1));
        Assert.Equal((0L, null, "holder-a", "alice@web01 pid 4242"), (alice.Position, alice.UpdatedAt, alice.Lease!.Holder, alice.Lease.Description));
        Assert.InRange(alice.Lease.Until, DateTimeOffset.UtcNow.AddSeconds(30), DateTimeOffset.UtcNow.AddMinutes(2));

        var refused = await Assert.ThrowsAsync<ConsumerLeasedException>(() => store.LeaseConsumerAsync("helpdesk", "holder-b", "bob@web02 pid 7", TimeSpan.FromMinutes(1)));
        Assert.Equal(("alice@web01 pid 4242", alice.Lease.Until), (refused.Lease.Description, refused.Lease.Until));
        Assert.Contains("is being read by alice@web01 pid 4242 (lease until ", refused.Message, StringComparison.Ordinal);
        // Moving or removing it is the holder's alone while the lease lives.
        await Assert.ThrowsAsync<ConsumerLeasedException>(() => store.SetConsumerAsync("helpdesk", 5, "holder-b"));
        await Assert.ThrowsAsync<ConsumerLeasedException>(() => store.SetConsumerAsync("helpdesk", 5));
        await Assert.ThrowsAsync<ConsumerLeasedException>(() => store.DeleteConsumerAsync("helpdesk"));
        var moved = await store.SetConsumerAsync("helpdesk", 7, "holder-a");
        Assert.Equal((7L, "holder-a"), (moved.Position, moved.Lease!.Holder));
        // The holder renews; another holder giving it up changes nothing.
        var renewed = await store.LeaseConsumerAsync("helpdesk", "holder-a", "alice@web01 pid 4242", TimeSpan.FromMinutes(5));
        Assert.True(renewed.Lease!.Until > alice.Lease.Until);
        await store.ReleaseConsumerAsync("helpdesk", "holder-b");
        Assert.Equal("holder-a", (await store.GetConsumerAsync("helpdesk"))!.Lease!.Holder);
        Assert.Equal([("helpdesk", 7L, "holder-a")], (await store.ListConsumersAsync()).Select(c => (c.Name, c.Position, c.Lease?.Holder)));

        await store.ReleaseConsumerAsync("helpdesk", "holder-a");
        Assert.Null((await store.GetConsumerAsync("helpdesk"))!.Lease);
        var bob = await store.LeaseConsumerAsync("helpdesk", "holder-b", "bob@web02 pid 7", TimeSpan.FromMinutes(1));
        Assert.Equal((7L, "holder-b"), (bob.Position, bob.Lease!.Holder));
        await store.ReleaseConsumerAsync("helpdesk", "holder-b");
        Assert.Equal(3L, (await store.SetConsumerAsync("helpdesk", 3)).Position);
        Assert.True(await store.DeleteConsumerAsync("helpdesk"));
        Assert.Null(await store.GetConsumerAsync("helpdesk"));
        Assert.False(await store.DeleteConsumerAsync("helpdesk"));
    }

    [Fact]
    public async Task A_lease_that_runs_out_is_free_for_the_next_reader()
    {
        // On a clock moved by hand: on the system's, a short lease could run out while a busy machine commits it.
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        await using var store = await OpenAsync(clock);
        await store.LeaseConsumerAsync("nightly", "crashed", "a run that died", TimeSpan.FromMinutes(1));
        // A leased consumer never moved is listed (at 0) while its lease lives, and another holder is refused.
        Assert.Equal([("nightly", 0L, "crashed")], (await store.ListConsumersAsync()).Select(c => (c.Name, c.Position, c.Lease?.Holder)));
        clock.Now += TimeSpan.FromSeconds(59);
        await Assert.ThrowsAsync<ConsumerLeasedException>(() => store.LeaseConsumerAsync("nightly", "next", "the next run", TimeSpan.FromMinutes(1)));
        // Once it has run out, the next run takes it.
        clock.Now += TimeSpan.FromSeconds(2);
        var next = await store.LeaseConsumerAsync("nightly", "next", "the next run", TimeSpan.FromMinutes(1));
        Assert.Equal("next", next.Lease?.Holder);
    }

    private static (int, int) Counts(AppendResult r) => (r.Stored, r.Duplicates);
}
