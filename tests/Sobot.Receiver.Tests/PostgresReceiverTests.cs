using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Sobot.Receiver.Store.Postgres;
using Xunit.Abstractions;

namespace Sobot.Receiver.Tests;

/// <summary>Whole receivers, in process and as child processes, sharing one PostgreSQL database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresReceiverTests(PostgresCluster cluster, ITestOutputHelper output)
{
    private static readonly string[] LoopbackPorts = ["--ingress-urls", "http://127.0.0.1:0", "--query-urls", "http://127.0.0.1:0"];

    internal static async Task<Receiver> StartOnAsync(string connectionString)
    {
        var receiver = await Receiver.StartAsync(o =>
        {
            o.UsePostgres = true;
            o.ConnectionString = connectionString;
        });
        await ((PostgresEventStore)receiver.Host.Store).Listening.WaitAsync(TimeSpan.FromSeconds(60));
        return receiver;
    }

    [Fact]
    public async Task A_long_poll_on_one_receiver_is_woken_by_a_post_to_the_other()
    {
        string database = await cluster.CreateDatabaseAsync();
        await using var a = await StartOnAsync(database);
        await using var b = await StartOnAsync(database);
        for (int i = 1; i <= 3; i++)
        {
            // A commits nothing itself: its commit signal can only fire because B's commit reached it (by NOTIFY), and
            // that signal is what wakes A's polls (LongPollTests prove the rest of the way). The poll's answer alone would
            // not tell: a poll never woken reads once more when its wait is over and finds the event too. How soon the
            // signal crosses is measured by bench/ReceiverBench --postgres, not here.
            var signalOfA = a.Host.Store.Commits.NextCommit;
            var polling = a.Query.GetAsync($"v1/events?after={i - 1}&waitMs=30000&type=inbound");
            Assert.False(polling.IsCompleted, "the poll was answered before anything was posted");
            await b.DeliverAsync(Payloads.Inbound($"wamid.AB{i}", "911", "reply"));
            await signalOfA.WaitAsync(TimeSpan.FromSeconds(60));
            using var answered = await polling.WaitAsync(TimeSpan.FromSeconds(60));
            var events = JsonNode.Parse(await answered.Content.ReadAsStringAsync())!["events"]!.AsArray();
            Assert.Equal($"wamid.AB{i}", (string)events.Single()!["messageId"]!);
        }
        Assert.Contains("postgresql://127.0.0.1:", b.StorePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_store_moves_a_sqlite_store_into_postgres_and_a_second_run_copies_nothing_new()
    {
        using var folder = new TempDirectory();
        string sqlite = folder.File("events.db");
        byte[] odd = [0x5B, 0x5D, 0x20, 0xFF];   // not valid UTF-8: kept byte for byte
        await using (var source = Sobot.Receiver.Store.Sqlite.SqliteEventStore.Open(new Sobot.Receiver.Store.Sqlite.SqliteStoreOptions(sqlite)))
        {
            for (int i = 0; i < 1500; i++) await source.AppendAsync(new Store.WebhookDelivery(System.Text.Encoding.UTF8.GetBytes(Payloads.Status($"wamid.CP{i % 700}", i < 700 ? "sent" : "read", i)),
                Ingress.WebhookEventMapper.Map(System.Text.Encoding.UTF8.GetBytes(Payloads.Status($"wamid.CP{i % 700}", i < 700 ? "sent" : "read", i))), DateTimeOffset.UtcNow, null));
            await source.AppendAsync(new Store.WebhookDelivery(odd, Ingress.WebhookEventMapper.Map(odd), DateTimeOffset.UtcNow, "10.0.0.1"));
            await source.SetConsumerAsync("helpdesk", 42);
        }
        string database = await cluster.CreateDatabaseAsync();
        string file = folder.File("connection-string");
        await File.WriteAllTextAsync(file, database);
        var said = new StringWriter();
        var errors = new StringWriter();
        Assert.True(await StoreCopy.CopyStoreCommand.RunAsync(["--from", sqlite, "--to-connection-string-file", file], said, errors, _ => null) == 0, errors.ToString());
        output.WriteLine(said.ToString());
        Assert.Contains("bodies: 1501 copied, 0 already there; events: 1401 copied, 0 already there", said.ToString(), StringComparison.Ordinal);
        Assert.Contains("consumers: 1 copied", said.ToString(), StringComparison.Ordinal);

        var again = new StringWriter();
        Assert.Equal(0, await StoreCopy.CopyStoreCommand.RunAsync(["--from", sqlite], again, errors, name => name == ReceiverOptions.ConnectionStringVariable ? database : null));
        Assert.Contains("bodies: 0 copied, 1501 already there; events: 0 copied, 1401 already there", again.ToString(), StringComparison.Ordinal);
        Assert.Contains("consumers: 0 copied, 1 already there", again.ToString(), StringComparison.Ordinal);

        await using var copy = await PostgresEventStore.OpenAsync(new PostgresStoreOptions(database));
        await using var original = Sobot.Receiver.Store.Sqlite.SqliteEventStore.Open(new Sobot.Receiver.Store.Sqlite.SqliteStoreOptions(sqlite));
        var want = await ReadAllAsync(original);
        var got = await ReadAllAsync(copy);
        Assert.Equal(want.Select(e => (e.Seq, e.Kind, e.MessageId, e.Status, e.RawText, e.FieldsJson, e.ReceivedAt)), got.Select(e => (e.Seq, e.Kind, e.MessageId, e.Status, e.RawText, e.FieldsJson, e.ReceivedAt)));
        Assert.Equal("read", (await copy.GetStatusAsync("wamid.CP5"))!.Status);
        Assert.Equal(await original.GetStatusAsync("wamid.CP5"), await copy.GetStatusAsync("wamid.CP5"));
        Assert.Equal(42, (await copy.GetConsumerAsync("helpdesk"))!.Position);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var body = new NpgsqlCommand("SELECT body FROM bodies ORDER BY id DESC LIMIT 1", connection);
            Assert.Equal(odd, (byte[])(await body.ExecuteScalarAsync())!);
        }
        // New events continue after the copied seqs.
        var added = await copy.AppendAsync(new Store.WebhookDelivery("[]"u8.ToArray(), Ingress.WebhookEventMapper.Map(System.Text.Encoding.UTF8.GetBytes(Payloads.Inbound("wamid.NEW", "911", "x"))), DateTimeOffset.UtcNow, null));
        Assert.Equal(1, added.Stored);
        Assert.True((await copy.GetHealthAsync()).LastSeq > want[^1].Seq);
    }

    [Fact]
    public async Task Copy_store_copies_the_opt_out_list_decisions_and_windows_and_a_second_run_changes_nothing()
    {
        using var folder = new TempDirectory();
        string sqlite = folder.File("events.db");
        static Store.WebhookDelivery Say(string id, string from, string text, long timestamp)
        {
            byte[] body = System.Text.Encoding.UTF8.GetBytes(Payloads.Inbound(id, from, text, timestamp));
            return new Store.WebhookDelivery(body, Ingress.WebhookEventMapper.Map(body), DateTimeOffset.UtcNow, null);
        }
        await using (var source = Sobot.Receiver.Store.Sqlite.SqliteEventStore.Open(new Sobot.Receiver.Store.Sqlite.SqliteStoreOptions(sqlite)))
        {
            await source.AppendAsync(Say("wamid.A1", "911111111111", "STOP", 1_700_000_100));
            await source.AppendAsync(Say("wamid.B1", "922222222222", "STOP", 1_700_000_100));
            await source.AppendAsync(Say("wamid.B2", "922222222222", "START", 1_700_000_300));
            await source.AddOptOutAsync("933333333333", "manual:alice@host", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        }
        string database = await cluster.CreateDatabaseAsync();
        var said = new StringWriter();
        Assert.Equal(0, await StoreCopy.CopyStoreCommand.RunAsync(["--from", sqlite, "--to-connection-string", database], said, new StringWriter(), _ => null));
        Assert.Contains("opt-outs: 2 copied, 0 already there; decisions: 3 merged; last inbound: 2 merged", said.ToString(), StringComparison.Ordinal);
        var again = new StringWriter();
        Assert.Equal(0, await StoreCopy.CopyStoreCommand.RunAsync(["--from", sqlite, "--to-connection-string", database], again, new StringWriter(), _ => null));
        Assert.Contains("opt-outs: 0 copied, 2 already there; decisions: 0 merged; last inbound: 0 merged", again.ToString(), StringComparison.Ordinal);

        await using var original = Sobot.Receiver.Store.Sqlite.SqliteEventStore.Open(new Sobot.Receiver.Store.Sqlite.SqliteStoreOptions(sqlite));
        await using var copy = await PostgresEventStore.OpenAsync(new PostgresStoreOptions(database));
        Assert.Equal(await original.ListOptOutsAsync(), await copy.ListOptOutsAsync());
        string[] numbers = ["911111111111", "922222222222", "933333333333"];
        Assert.Equal((await original.GetLastInboundAsync(numbers)).OrderBy(w => w.CustomerNumber), (await copy.GetLastInboundAsync(numbers)).OrderBy(w => w.CustomerNumber));
        // The decisions came too: a STOP older than the copied START, arriving now, is not applied.
        await copy.AppendAsync(Say("wamid.B0", "922222222222", "STOP", 1_700_000_200));
        Assert.Null(await copy.GetOptOutAsync("922222222222"));
    }

    [Fact]
    public async Task Copy_store_refuses_a_database_where_receivers_already_stored_other_events()
    {
        using var folder = new TempDirectory();
        string sqlite = folder.File("events.db");
        await using (var source = Sobot.Receiver.Store.Sqlite.SqliteEventStore.Open(new Sobot.Receiver.Store.Sqlite.SqliteStoreOptions(sqlite)))
            await source.AppendAsync(new Store.WebhookDelivery("[]"u8.ToArray(), Ingress.WebhookEventMapper.Map(System.Text.Encoding.UTF8.GetBytes(Payloads.Inbound("wamid.SQLITE", "911", "x"))), DateTimeOffset.UtcNow, null));
        string database = await cluster.CreateDatabaseAsync();
        await using (var live = await PostgresEventStore.OpenAsync(new PostgresStoreOptions(database)))
            await live.AppendAsync(new Store.WebhookDelivery("[]"u8.ToArray(), Ingress.WebhookEventMapper.Map(System.Text.Encoding.UTF8.GetBytes(Payloads.Inbound("wamid.LIVE", "922", "y"))), DateTimeOffset.UtcNow, null));
        var errors = new StringWriter();
        Assert.Equal(1, await StoreCopy.CopyStoreCommand.RunAsync(["--from", sqlite, "--to-connection-string", database], new StringWriter(), errors, _ => null));
        Assert.Contains("different event at seq 1", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await StoreCopy.CopyStoreCommand.RunAsync(["--to-connection-string", database], new StringWriter(), new StringWriter(), _ => null));
    }

    private static async Task<List<Store.StoredEvent>> ReadAllAsync(Store.IEventStore store)
    {
        var all = new List<Store.StoredEvent>();
        while (true)
        {
            var page = await store.ReadEventsAsync(new Store.EventQuery { After = all.Count > 0 ? all[^1].Seq : 0, Limit = 1000 });
            if (page.Count == 0) return all;
            all.AddRange(page);
        }
    }

    /// <summary>
    /// Two receivers (child processes) on one database, 32 posters spread over both sending 2,000 events (20,000 with
    /// SOBOT_SOAK=1), receiver A SIGKILLed and restarted twice. A poster whose post fails sends it to the other receiver,
    /// as a load balancer would. Every event is acknowledged and stored exactly once, and a consumer following the
    /// cursor through B all along sees each once.
    /// </summary>
    [Fact]
    [Trait("Category", Soak.Category)]
    public async Task Two_receivers_one_killed_twice_lose_nothing_and_store_nothing_twice()
    {
        const int posters = 32;
        int total = Soak.Events(usual: 2_000, full: 20_000);
        // Deadlines for a hang, not for speed: generous, and longer for more events.
        // The posts wait for the two restarts of A too (they are held until each kill), so each restart's own
        // deadline is added.
        var postsDeadline = Soak.Deadline(total) + 2 * ChildReceiver.StartDeadline;
        var readDeadline = postsDeadline + TimeSpan.FromSeconds(30);
        string database = await cluster.CreateDatabaseAsync();
        var environment = new Dictionary<string, string>(ChildReceiver.Secrets) { [ReceiverOptions.ConnectionStringVariable] = database };
        string[] args = [.. LoopbackPorts, "--store", "postgres"];
        var a = await ChildReceiver.StartAsync(environment, args);
        using var b = await ChildReceiver.StartAsync(environment, args);
        var urls = new[] { a.Ready("webhookUrl"), b.Ready("webhookUrl") };
        string queryB = b.Ready("queryUrl");
        var acknowledged = new ConcurrentDictionary<int, bool>();
        int next = -1, failures = 0;
        var kills = new[] { new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var sending = Enumerable.Range(0, posters).Select(p => Task.Run(async () =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < total)
                {
                    // Posts past each kill's mark (plus a margin) are held back until that kill, so both kills land with
                    // posts still to come, however the machine is loaded (the test's thread may notice a mark late).
                    for (int k = 0; k < kills.Length; k++)
                        if (n >= total * (2 * k + 3) / 6) await kills[k].Task;
                    for (int attempt = 0; ; attempt++)
                    {
                        Assert.True(clock.Elapsed < postsDeadline, $"the posts did not get through within {postsDeadline.TotalSeconds:0} s");
                        try
                        {
                            using var response = await http.PostAsync(Volatile.Read(ref urls[(n + attempt) % 2]), new StringContent(Payloads.Status($"wamid.T{n}", "delivered", n)));
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                acknowledged[n] = true;
                                break;
                            }
                        }
                        catch (HttpRequestException)
                        {
                        }
                        catch (TaskCanceledException)
                        {
                        }
                        Interlocked.Increment(ref failures);
                        await Task.Delay(5);
                    }
                }
            })).ToArray();

            var consumer = Task.Run(async () =>
            {
                var seen = new List<string>();
                long after = 0;
                while (seen.Count < total && clock.Elapsed < readDeadline)
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, $"{queryB}/v1/events?after={after}&limit=1000&waitMs=2000");
                    request.Headers.Add("x-receiver-key", Receiver.QueryKey);
                    using var response = await http.SendAsync(request);
                    var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    foreach (var e in page["events"]!.AsArray())
                    {
                        Assert.True((long)e!["seq"]! > after);
                        seen.Add((string)e["messageId"]!);
                    }
                    after = (long)page["next"]!;
                }
                return seen;
            });

            for (int kill = 1; kill <= 2; kill++)
            {
                while (acknowledged.Count < total * kill / 3 && !sending.All(t => t.IsCompleted)) await Task.Delay(5);
                a.Kill();
                output.WriteLine($"SIGKILL {kill} at {acknowledged.Count} acknowledged, {clock.ElapsedMilliseconds} ms");
                a.Dispose();
                a = await ChildReceiver.StartAsync(environment, args);
                Volatile.Write(ref urls[0], a.Ready("webhookUrl"));
                kills[kill - 1].SetResult();
            }
            await Task.WhenAll(sending);
            output.WriteLine($"all {total} acknowledged after {clock.ElapsedMilliseconds} ms, {failures} failed attempts sent again");
            var seen = await consumer;
            Assert.Equal(total, acknowledged.Count);
            Assert.Equal(total, seen.Count);
            Assert.Equal(Enumerable.Range(0, total).Select(n => $"wamid.T{n}").Order(), seen.Order());
        }
        finally
        {
            a.Dispose();
        }
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT dedup_key) FROM events", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((total, total), (reader.GetInt64(0), reader.GetInt64(1)));
    }
}
