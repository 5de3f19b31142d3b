using System.Text;
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
    protected abstract Task<IEventStore> OpenAsync();

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
        await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(await store.ReadEventsAsync(new EventQuery()));
        await append;
        var quiet = store.Commits.NextCommit;
        var again = await store.AppendAsync(Delivery(Payloads.Inbound("wamid.S", "911", "hi")));
        Assert.Equal((0, 1), Counts(again));
        await Task.Delay(200);
        Assert.False(quiet.IsCompleted);
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
        Assert.Equal(["wamid.I2"], (await store.ReadEventsAsync(new EventQuery { CustomerNumber = "922" })).Select(e => e.MessageId));
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

    private static (int, int) Counts(AppendResult r) => (r.Stored, r.Duplicates);
}
