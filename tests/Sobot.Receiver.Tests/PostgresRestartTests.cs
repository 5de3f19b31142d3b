using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Sobot.Receiver.Store;
using Sobot.Receiver.Store.Postgres;
using Xunit.Abstractions;

namespace Sobot.Receiver.Tests;

/// <summary>PostgreSQL restarted under a running receiver; a cluster of its own, since the test stops it.</summary>
public sealed class PostgresRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly PostgresCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task While_postgres_is_down_posts_get_503_never_200_and_the_receivers_recover_by_themselves()
    {
        string database = await _cluster.CreateDatabaseAsync();
        await using var a = await PostgresReceiverTests.StartOnAsync(database);
        await using var b = await PostgresReceiverTests.StartOnAsync(database);
        var acknowledged = new ConcurrentDictionary<int, bool>();
        var answers = new ConcurrentDictionary<HttpStatusCode, int>();
        int next = -1;
        using var stop = new CancellationTokenSource();
        var posters = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                int n = Interlocked.Increment(ref next);
                using var response = await a.PostWebhookAsync(Payloads.Inbound($"wamid.R{n}", "911", "x"));
                answers.AddOrUpdate(response.StatusCode, 1, (_, c) => c + 1);
                if (response.StatusCode == HttpStatusCode.OK) acknowledged[n] = true;
                else Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                if (response.StatusCode != HttpStatusCode.OK) await Task.Delay(20);
            }
        })).ToArray();

        // Deadlines below are for a hang only (60 s each); how fast the receiver notices and recovers is not asserted.
        await RefusalLogTests.Until(() => acknowledged.Count >= 300 || posters.Any(t => t.IsCompleted), () => $"{acknowledged.Count} acknowledged");
        await _cluster.StopAsync();
        int before = answers.GetValueOrDefault(HttpStatusCode.ServiceUnavailable);
        var down = Stopwatch.StartNew();
        await RefusalLogTests.Until(() => answers.GetValueOrDefault(HttpStatusCode.ServiceUnavailable) >= before + 20 || posters.Any(t => t.IsCompleted),
            () => $"{answers.GetValueOrDefault(HttpStatusCode.ServiceUnavailable) - before} posts refused since the stop");
        output.WriteLine($"503 within {down.ElapsedMilliseconds} ms of the stop");
        using (var health = await a.Ingress.GetAsync("healthz")) Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);

        await _cluster.StartAsync();
        int ackedAtRestart = acknowledged.Count;
        var up = Stopwatch.StartNew();
        await RefusalLogTests.Until(() => acknowledged.Count >= ackedAtRestart + 300 || posters.Any(t => t.IsCompleted),
            () => $"the receiver did not recover: {acknowledged.Count - ackedAtRestart} posts acknowledged since the restart");
        output.WriteLine($"recovered {up.ElapsedMilliseconds} ms after the restart; answers: {string.Join(", ", answers.Select(p => $"{(int)p.Key}: {p.Value}"))}");
        stop.Cancel();
        await Task.WhenAll(posters);
        Assert.True(acknowledged.Count >= ackedAtRestart + 300, "the posters stopped before the receiver recovered");

        // Every acknowledged event is there, once.
        var stored = new List<string>();
        long after = 0;
        while (true)
        {
            var page = await b.Host.Store.ReadEventsAsync(new EventQuery { After = after, Limit = 1000 });
            if (page.Count == 0) break;
            stored.AddRange(page.Select(e => e.MessageId!));
            after = page[^1].Seq;
        }
        Assert.Equal(stored.Count, stored.Distinct().Count());
        var set = stored.ToHashSet();
        Assert.All(acknowledged.Keys, n => Assert.Contains($"wamid.R{n}", set));

        // The listener came back too: A's commit signal fires for a post to B (A commits nothing now, so nothing else
        // fires it), and a wait on A is answered with that post. As in PostgresReceiverTests, the answer alone would not
        // tell a wake from a wait that ran out and read once more.
        var listener = (PostgresEventStore)a.Host.Store;
        await RefusalLogTests.Until(() => listener.ListenerConnections >= 2, () => "the LISTEN connection was not re-opened");
        var signalOfA = listener.Commits.NextCommit;
        var polling = a.Query.GetAsync($"v1/events?after={after}&waitMs=30000");
        await b.DeliverAsync(Payloads.Inbound("wamid.AFTER", "911", "back"));
        await signalOfA.WaitAsync(TimeSpan.FromSeconds(60));
        using var answered = await polling.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("wamid.AFTER", await answered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
