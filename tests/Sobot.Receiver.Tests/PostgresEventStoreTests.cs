using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Npgsql;
using Sobot.Receiver.Ingress;
using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Postgres;

namespace Sobot.Receiver.Tests;

/// <summary>What only the PostgreSQL store has to show: several receivers (here, several stores) on one database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEventStoreTests(PostgresCluster cluster, Xunit.Abstractions.ITestOutputHelper output)
{
    private static WebhookDelivery Delivery(string body) =>
        new(Encoding.UTF8.GetBytes(body), WebhookEventMapper.Map(Encoding.UTF8.GetBytes(body)), DateTimeOffset.UtcNow, "127.0.0.1");

    private static async Task<PostgresEventStore> OpenAsync(PostgresStoreOptions options)
    {
        var store = await PostgresEventStore.OpenAsync(options);
        await store.Listening.WaitAsync(TimeSpan.FromSeconds(60));
        return store;
    }

    /// <summary>Releases a held commit when the test ends, passed or failed, before the stores are disposed.</summary>
    private sealed class ReleaseOnExit(TaskCompletionSource release) : IDisposable
    {
        public void Dispose() => release.TrySetResult();
    }

    /// <summary>Polls a condition until it holds; fails with <paramref name="what"/> after a generous deadline.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Within 60 s: {what}.");
            await Task.Delay(20);
        }
    }

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sessions of this database waiting for an advisory lock (the seq lock is one).</summary>
    private static Task<long> AdvisoryLockWaitersAsync(string database) => ScalarAsync(database,
        "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() AND l.locktype = 'advisory' AND NOT l.granted");

    /// <summary>Backends connected to this database other than the asking one.</summary>
    private static Task<long> OtherBackendsAsync(string database) => ScalarAsync(database,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");

    /// <summary>
    /// The case a plain sequence gets wrong: A takes a seq and is slow to commit, B commits after it. A reader that
    /// looks while A is still open must not be able to move its cursor past A's event. With seqs taken under the seq
    /// lock, B cannot take a seq until A has committed, so the reader sees neither, then A before B.
    /// </summary>
    [Fact]
    public async Task A_reader_never_skips_an_event_whose_transaction_commits_late()
    {
        string database = await cluster.CreateDatabaseAsync();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int held = 0;
        // Not a test of the stuck-transaction timeout: minutes, so that a busy machine never has A cut off, or B's wait
        // for the lock ended, while the test looks.
        var patient = TimeSpan.FromMinutes(5);
        await using var a = await OpenAsync(new PostgresStoreOptions(database)
        {
            StuckTransactionTimeout = patient,
            BeforeCommit = async () =>
            {
                if (Interlocked.Exchange(ref held, 1) != 0) return;
                holding.SetResult();
                await release.Task;
            },
        });
        await using var b = await OpenAsync(new PostgresStoreOptions(database) { StuckTransactionTimeout = patient });
        // A failed check must not leave A waiting forever: its store's disposal waits for its commit.
        using var releaseOnExit = new ReleaseOnExit(release);

        var appendA = a.AppendAsync(Delivery(Payloads.Inbound("wamid.LATE", "911", "first to take a seq")));
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var appendB = b.AppendAsync(Delivery(Payloads.Inbound("wamid.EARLY", "922", "second")));
        // Not a pause: wait until B is seen queued behind A's advisory lock in PostgreSQL, or has (wrongly) committed.
        await WaitUntilAsync(async () => appendB.IsCompleted || await AdvisoryLockWaitersAsync(database) > 0,
            "B neither committed nor waited on an advisory lock");
        Assert.False(appendB.IsCompleted, "B committed while A held a seq: a reader could now pass A's event");
        var cursor = await b.ReadEventsAsync(new EventQuery());
        Assert.Empty(cursor);

        release.SetResult();
        await Task.WhenAll(appendA, appendB).WaitAsync(TimeSpan.FromSeconds(60));
        var events = await b.ReadEventsAsync(new EventQuery());
        Assert.Equal(["wamid.LATE", "wamid.EARLY"], events.Select(e => e.MessageId));
        Assert.True(events[0].Seq < events[1].Seq);
    }

    /// <summary>
    /// A receiver frozen in the middle of a commit (holding the seq lock) must not hold the others up for longer than
    /// the stuck-transaction timeout: PostgreSQL ends its transaction, the others go on, and the frozen one's post is
    /// refused (503), never acknowledged.
    /// </summary>
    [Fact]
    public async Task A_receiver_frozen_while_holding_the_seq_lock_is_cut_off_by_the_stuck_transaction_timeout_and_the_others_go_on()
    {
        string database = await cluster.CreateDatabaseAsync();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int held = 0;
        long frozenAt = 0;
        await using var frozen = await OpenAsync(new PostgresStoreOptions(database)
        {
            StuckTransactionTimeout = TimeSpan.FromSeconds(3),
            BeforeCommit = async () =>
            {
                if (Interlocked.Exchange(ref held, 1) != 0) return;
                // The clock starts here, not when the test's continuation runs: a busy machine may run that late.
                Interlocked.Exchange(ref frozenAt, Stopwatch.GetTimestamp());
                holding.SetResult();
                await release.Task;
            },
        });
        // Only the frozen one's timeout is under test: the other waits for the lock as long as it takes.
        await using var other = await OpenAsync(new PostgresStoreOptions(database) { StuckTransactionTimeout = TimeSpan.FromMinutes(5) });
        using var releaseOnExit = new ReleaseOnExit(release);
        var stuck = frozen.AppendAsync(Delivery(Payloads.Inbound("wamid.FROZEN", "911", "never acknowledged")));
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(60));
        // The frozen one is released only after this: the other's commit can only come from PostgreSQL ending the frozen
        // transaction. The deadline is generous (a busy machine); the lower bound shows the other really waited for it
        // (3 s after the frozen one went idle; 1 s leaves 2 s for a late start of the clock).
        await other.AppendAsync(Delivery(Payloads.Inbound("wamid.OTHER", "922", "goes on"))).WaitAsync(TimeSpan.FromSeconds(60));
        var waited = Stopwatch.GetElapsedTime(Interlocked.Read(ref frozenAt));
        Assert.True(waited >= TimeSpan.FromSeconds(1), $"the other committed {waited.TotalMilliseconds:0} ms after the frozen one held the lock: it did not wait for it");
        release.SetResult();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => stuck);
        Assert.Equal(["wamid.OTHER"], (await other.ReadEventsAsync(new EventQuery())).Select(e => e.MessageId));
        Assert.Equal(1, (await frozen.AppendAsync(Delivery(Payloads.Inbound("wamid.THAWED", "911", "back")))).Stored);
    }

    /// <summary>Many writers on two stores and a reader following the cursor all the while: it sees every event once.</summary>
    [Fact]
    public async Task A_cursor_following_two_busy_writers_sees_every_event_exactly_once()
    {
        const int total = 3000;
        string database = await cluster.CreateDatabaseAsync();
        await using var a = await OpenAsync(new PostgresStoreOptions(database));
        await using var b = await OpenAsync(new PostgresStoreOptions(database));
        int next = -1;
        var writers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < total)
                await (w % 2 == 0 ? a : b).AppendAsync(Delivery(Payloads.Status($"wamid.C{n}", "sent", n)));
        })).ToArray();
        var seen = new List<string>();
        long after = 0;
        var reading = Stopwatch.StartNew();
        while (seen.Count < total)
        {
            if (reading.Elapsed > TimeSpan.FromSeconds(120))
                Assert.Fail($"The cursor saw {seen.Count} of {total} events in 120 s (writers done: {writers.All(w => w.IsCompleted)}; last seq {after}).");
            var page = await a.ReadEventsAsync(new EventQuery { After = after, Limit = 50 });
            foreach (var e in page)
            {
                Assert.True(e.Seq > after);
                seen.Add(e.MessageId!);
                after = e.Seq;
            }
        }
        await Task.WhenAll(writers);
        Assert.Equal(total, seen.Count);
        Assert.Equal(total, seen.Distinct().Count());
    }

    [Fact]
    public async Task A_wait_on_one_store_is_woken_by_a_commit_through_another()
    {
        string database = await cluster.CreateDatabaseAsync();
        await using var a = await OpenAsync(new PostgresStoreOptions(database));
        await using var b = await OpenAsync(new PostgresStoreOptions(database));
        for (int i = 0; i < 3; i++)
        {
            var woken = a.Commits.NextCommit;
            var clock = Stopwatch.StartNew();
            await b.AppendAsync(Delivery(Payloads.Inbound($"wamid.W{i}", "911", "hi")));
            await woken.WaitAsync(TimeSpan.FromSeconds(30));
            output.WriteLine($"woken {clock.ElapsedMilliseconds} ms after the append through the other store");
            Assert.Equal(i + 1, (await a.ReadEventsAsync(new EventQuery())).Count);
        }
    }

    [Fact]
    public async Task The_same_webhook_stored_by_two_receivers_is_one_row()
    {
        string database = await cluster.CreateDatabaseAsync();
        await using var a = await OpenAsync(new PostgresStoreOptions(database));
        await using var b = await OpenAsync(new PostgresStoreOptions(database));
        string body = Payloads.Status("wamid.TWICE", "delivered", 7);
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? a : b).AppendAsync(Delivery(body))));
        Assert.Equal(1, results.Sum(r => r.Stored));
        Assert.Single(await b.ReadEventsAsync(new EventQuery()));
        Assert.Equal("delivered", (await a.GetStatusAsync("wamid.TWICE"))!.Status);
        await a.SetConsumerAsync("shared", 1);
        Assert.Equal(1, (await b.GetConsumerAsync("shared"))!.Position);
    }

    [Fact]
    public async Task Receivers_starting_at_the_same_moment_migrate_once_and_a_newer_schema_is_refused()
    {
        string database = await cluster.CreateDatabaseAsync();
        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostgresEventStore.OpenAsync(new PostgresStoreOptions(database))));
        foreach (var s in stores) await s.DisposeAsync();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var bump = new NpgsqlCommand($"UPDATE store_schema SET version = {PostgresSchema.Version + 1}", connection);
            await bump.ExecuteNonQueryAsync();
        }
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => PostgresEventStore.OpenAsync(new PostgresStoreOptions(database)));
        Assert.Contains("newer", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A database at schema 1 (events, no opt-out tables, numbers as they came) is upgraded in place: its events are
    /// kept, each number's last inbound is filled from them (latest by effective time, numbers in canonical form), and
    /// the opt-out list starts empty.
    /// </summary>
    [Fact]
    public async Task A_schema_1_database_is_upgraded_and_its_windows_filled_from_the_stored_events()
    {
        string database = await cluster.CreateDatabaseAsync();
        await using (var before = await OpenAsync(new PostgresStoreOptions(database)))
        {
            await before.AppendAsync(Delivery(Payloads.Inbound("wamid.OLD1", "+91 99601-23456", "STOP", 1_700_000_200)));
            await before.AppendAsync(Delivery(Payloads.Inbound("wamid.OLD0", "919960123456", "hello", 1_700_000_100)));
            await before.AppendAsync(Delivery(Payloads.Inbound("wamid.ODD", "call me", "hi", 1_700_000_300)));
        }
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var downgrade = new NpgsqlCommand(PostgresSchemaUpgradeTests.SchemaThreeAdded +
                " DROP TABLE opt_outs, consent_decisions, last_inbound; UPDATE store_schema SET version = 1;" +
                " UPDATE events SET customer_number = '+91 99601-23456' WHERE message_id = 'wamid.OLD1'; UPDATE events SET customer_number = 'call me' WHERE message_id = 'wamid.ODD'", connection);
            await downgrade.ExecuteNonQueryAsync();
        }
        await using var store = await OpenAsync(new PostgresStoreOptions(database));
        Assert.Equal(3, (await store.GetHealthAsync()).EventCount);
        Assert.Equal(
            new LastInboundRecord("919960123456", DateTimeOffset.FromUnixTimeSeconds(1_700_000_200), "wamid.OLD1"),
            Assert.Single(await store.GetLastInboundAsync(["919960123456"])));
        Assert.Empty(await store.ListOptOutsAsync());
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var version = new NpgsqlCommand("SELECT version FROM store_schema", connection);
            Assert.Equal(PostgresSchema.Version, Convert.ToInt32(await version.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
        // The upgraded store keeps its windows and list from here on.
        await store.AppendAsync(Delivery(Payloads.Inbound("wamid.NEW", "919960123456", "stop", 1_700_000_400)));
        Assert.Equal("inbound:wamid.NEW", (await store.GetOptOutAsync("919960123456"))!.Source);
        Assert.Equal("wamid.NEW", Assert.Single(await store.GetLastInboundAsync(["919960123456"])).MessageId);
    }

    /// <summary>Two receivers on one database share one opt-out list, and each applies decisions in the other's light.</summary>
    [Fact]
    public async Task Two_receivers_share_the_opt_out_list_and_the_decisions()
    {
        string database = await cluster.CreateDatabaseAsync();
        await using var a = await OpenAsync(new PostgresStoreOptions(database));
        await using var b = await OpenAsync(new PostgresStoreOptions(database));
        await a.AppendAsync(Delivery(Payloads.Inbound("wamid.S", "919960123456", "STOP", 1_700_000_100)));
        Assert.Equal("inbound:wamid.S", (await b.GetOptOutAsync("919960123456"))!.Source);
        Assert.True(await b.RemoveOptOutAsync("919960123456"));
        // A STOP written before that removal, stored through the other receiver, is not applied.
        await a.AppendAsync(Delivery(Payloads.Inbound("wamid.LATE", "919960123456", "STOP", 1_700_000_200)));
        Assert.Null(await a.GetOptOutAsync("919960123456"));
        await b.AddOptOutAsync("911111111111", "manual:alice@host", DateTimeOffset.UtcNow);
        Assert.Equal(["911111111111"], (await a.ListOptOutsAsync()).Select(o => o.CustomerNumber));
        Assert.Equal("wamid.LATE", Assert.Single(await b.GetLastInboundAsync(["919960123456"])).MessageId);
    }

    /// <summary>
    /// Stops and starts for a few numbers, posted in shuffled order through two receivers at once, with consumer moves
    /// and manual removals in the same batches: no write fails, no deadlock between the seq lock and consumer rows, and
    /// each number ends as its latest message (by message time) said.
    /// </summary>
    [Fact]
    public async Task Stops_and_starts_stored_concurrently_through_two_receivers_end_at_each_numbers_latest_word()
    {
        string database = await cluster.CreateDatabaseAsync();
        var a = await OpenAsync(new PostgresStoreOptions(database));
        var b = await OpenAsync(new PostgresStoreOptions(database));
        try
        {
            var random = new Random(7);
            var messages = Enumerable.Range(0, 400)
                .Select(i => (Id: $"wamid.C{i}", Number: $"9190000000{i % 8}", Stop: random.Next(2) == 0, Time: 1_700_000_000L + i))
                .OrderBy(_ => random.Next()).ToList();
            var stores = new[] { a, b };
            await Task.WhenAll(messages.Select((m, i) => Task.Run(async () =>
            {
                var store = stores[i % 2];
                // Queued together, so batches hold all three kinds of write in every order.
                await Task.WhenAll(
                    store.RemoveOptOutAsync("15550000000"),
                    store.AppendAsync(Delivery(Payloads.Inbound(m.Id, m.Number, m.Stop ? "STOP" : "START", m.Time))),
                    store.SetConsumerAsync("follower", i));
            })));
            foreach (var number in messages.GroupBy(m => m.Number))
            {
                var latest = number.MaxBy(m => m.Time);
                var optOut = await a.GetOptOutAsync(number.Key);
                if (latest.Stop) Assert.NotNull(optOut);
                else Assert.Null(optOut);
                Assert.Equal(latest.Id, Assert.Single(await b.GetLastInboundAsync([number.Key])).MessageId);
            }
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
        // A deadlock would have been broken by PostgreSQL and the batch retried, so it would not fail a write: look
        // for it in the database's statistics. Not after a pause: a backend flushes its statistics as it exits, before
        // it leaves pg_stat_activity (PostgreSQL 15 on), so once the stores' backends are gone their counts are in.
        await WaitUntilAsync(async () => await OtherBackendsAsync(database) == 0, "the closed stores' backends did not exit");
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var deadlocks = new NpgsqlCommand("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()", connection);
        Assert.Equal(0L, (long)(await deadlocks.ExecuteScalarAsync())!);
    }

    /// <summary>Many readers asking for one consumer at once through two receivers: exactly one gets it, and both receivers say who.</summary>
    [Fact]
    public async Task Two_receivers_lease_a_consumer_to_one_reader_at_a_time()
    {
        string database = await cluster.CreateDatabaseAsync();
        await using var a = await OpenAsync(new PostgresStoreOptions(database));
        await using var b = await OpenAsync(new PostgresStoreOptions(database));
        var stores = new[] { a, b };
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            try
            {
                return (Granted: (await stores[i % 2].LeaseConsumerAsync("shared", $"holder-{i}", $"reader {i}", TimeSpan.FromMinutes(1))).Lease!.Holder, RefusedBy: (string?)null);
            }
            catch (ConsumerLeasedException ex)
            {
                return (Granted: (string?)null, RefusedBy: ex.Lease.Description);
            }
        })));
        string winner = Assert.Single(outcomes, o => o.Granted != null).Granted!;
        Assert.All(outcomes.Where(o => o.Granted == null), o => Assert.Equal("reader " + winner["holder-".Length..], o.RefusedBy));
        Assert.Equal(winner, (await a.GetConsumerAsync("shared"))!.Lease!.Holder);
        Assert.Equal(winner, (await b.GetConsumerAsync("shared"))!.Lease!.Holder);
        // Given up through one receiver, it is free through the other.
        await a.ReleaseConsumerAsync("shared", winner);
        Assert.Equal("holder-next", (await b.LeaseConsumerAsync("shared", "holder-next", "the next reader", TimeSpan.FromMinutes(1))).Lease!.Holder);
    }

    /// <summary>
    /// The two queries of a wait on a database of 100,000 inbound events (statistics gathered, as autovacuum does):
    /// answers already there by number and effective time, then the long poll from the head by number. Neither reads
    /// the table sequentially, and the long poll's index search is bounded by the head.
    /// </summary>
    [Fact]
    public async Task The_queries_of_a_wait_use_indexes_and_the_long_poll_starts_at_the_head()
    {
        string database = await cluster.CreateDatabaseAsync();
        await (await OpenAsync(new PostgresStoreOptions(database))).DisposeAsync();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var fill = new NpgsqlCommand("""
            INSERT INTO events(body_id, kind, dedup_key, message_id, customer_number, status, event_time, received_at, fields, raw)
            SELECT 1, CASE WHEN i % 5 = 0 THEN 'status' ELSE 'inbound' END, 'k' || i, 'wamid.G' || i, '9199000' || lpad((i % 3000)::text, 5, '0'),
                   NULL, 1700000000 + i, 1700000000000 + i * 1000::bigint, '{}', '{}'
            FROM generate_series(1, 100000) AS i;
            ANALYZE events;
            """, connection))
            await fill.ExecuteNonQueryAsync();
        string[] one = ["919900000007"], several = Enumerable.Range(0, 10).Select(i => $"9199000{i:00000}").ToArray();
        foreach (var numbers in new[] { one, several })
        {
            var lookup = await PlanAsync(connection, new EventQuery
            {
                Kind = EventKind.Inbound, CustomerNumbers = numbers, Since = DateTimeOffset.FromUnixTimeSeconds(1_700_090_000), Limit = EventQuery.MaxLimit,
            });
            output.WriteLine(lookup);
            Assert.DoesNotContain("Seq Scan", lookup, StringComparison.Ordinal);
            Assert.Contains("on events_customer_time", lookup, StringComparison.Ordinal);
            var poll = await PlanAsync(connection, new EventQuery { Kind = EventKind.Inbound, CustomerNumbers = numbers, After = 99_000, Limit = EventQuery.MaxLimit });
            output.WriteLine(poll);
            Assert.DoesNotContain("Seq Scan", poll, StringComparison.Ordinal);
            Assert.Matches(@"Index Cond: .*\(seq > ", poll);
        }
    }

    private static async Task<string> PlanAsync(NpgsqlConnection connection, EventQuery query)
    {
        await using var command = PostgresEventStore.EventQueryCommand(connection, query);
        command.CommandText = "EXPLAIN " + command.CommandText;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join("\n", lines);
    }

    [Fact]
    public async Task An_unreachable_database_is_refused_at_start_as_unavailable()
    {
        var options = new PostgresStoreOptions(new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Port = 1, Timeout = 2 }.ConnectionString);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => PostgresEventStore.OpenAsync(options));
    }
}
