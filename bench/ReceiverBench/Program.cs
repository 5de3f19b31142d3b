// Scenario 7: 32 concurrent posters send N status webhooks (one event per POST) to the receiver, run as its own
// process on a fresh SQLite store, durable before 200; then the same posters against a bare Kestrel endpoint that
// only answers 200 (also its own process). Prints events/s and acknowledgement percentiles of both, and the ratio.
// Scenario 9: fills a fresh store with M events (batched bodies of 100 statuses, to get there in minutes), reads some
// back through the query API, and prints the receiver's working set.
//
// Scenario 10 (--postgres): the same posters spread over two receivers sharing one PostgreSQL database (a throwaway
// cluster started with initdb/pg_ctl, fsync and synchronous_commit on), beside one receiver on SQLite; scenarios 7's
// bare endpoint and 9 are skipped then.
// Scenario 12 (WaitScenario.cs), on SQLite in the first form and on PostgreSQL with --postgres: a store of 200,000
// inbound messages takes webhooks without waits, with ten reply waits in flight, and with the maximum number of long
// polls waiting (--max-waits); ingest rates, acknowledgement percentiles and the waits' answer latency. --waits-only
// runs it alone (shorter with --wait-prefill / --wait-events).
//
// dotnet run -c Release --project bench/ReceiverBench -- [--events 100000] [--posters 32] [--memory-events 1000000] [--skip-memory]
//     [--wait-prefill 200000] [--wait-events 20000] [--waits-only]
// dotnet run -c Release --project bench/ReceiverBench -- --postgres [--events 50000] [--posters 32] [--wait-prefill 200000] [--wait-events 20000] [--waits-only]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

if (args.Contains("--bare-server")) return await BareServer.RunAsync();

int events = Option("--events", 100_000), posters = Option("--posters", 32), memoryEvents = Option("--memory-events", 1_000_000);
bool skipMemory = args.Contains("--skip-memory"), waitsOnly = args.Contains("--waits-only");
int waitPrefill = Option("--wait-prefill", 200_000), waitEvents = Option("--wait-events", 20_000);
if (args.Contains("--postgres")) return await PostgresScenario.RunAsync(Option("--events", 50_000), posters, waitPrefill, waitEvents, waitsOnly);
string work = Path.Combine(Path.GetTempPath(), "sobot-receiver-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);
try
{
    Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");

    // Scenario 12
    using (var child = Child.StartReceiver(Path.Combine(work, "waits.db")))
        await WaitScenario.RunAsync(child, "SQLite", waitPrefill, waitEvents, posters);
    if (waitsOnly) return 0;

    // Scenario 7
    var warmUp = Math.Min(5_000, events / 10);
    Measurement receiver, bare;
    using (var child = Child.StartReceiver(Path.Combine(work, "ingest.db")))
        receiver = await Posting.RunAsync(child.WebhookUrl, events, posters, warmUp, i => Status(i));
    using (var child = Child.StartBare())
        bare = await Posting.RunAsync(child.WebhookUrl, events, posters, warmUp, i => Status(i));
    Console.WriteLine();
    Console.WriteLine($"Scenario 7: {events:N0} status events, {posters} posters, one event per POST");
    Console.WriteLine(Measurement.Header);
    Console.WriteLine(receiver.Row("receiver (SQLite, durable before 200)"));
    Console.WriteLine(bare.Row("bare Kestrel answering 200"));
    Console.WriteLine(FormattableString.Invariant($"receiver / bare throughput: {receiver.EventsPerSecond / bare.EventsPerSecond:0.00}"));
    Console.WriteLine($"target: >= 3,000 events/s and p99 < 50 ms -> {(receiver.EventsPerSecond >= 3000 && receiver.P99Ms < 50 ? "met" : "NOT met")}");

    // Scenario 9
    if (!skipMemory)
    {
        using var child = Child.StartReceiver(Path.Combine(work, "memory.db"));
        const int perBody = 100;
        var clock = Stopwatch.StartNew();
        var filled = await Posting.RunAsync(child.WebhookUrl, memoryEvents / perBody, posters, 0,
            i => "[" + string.Join(",", Enumerable.Range(i * perBody, perBody).Select(n => Status(n))) + "]");
        using (var http = new HttpClient())
        {
            // Exercise the read side too: page through the newest 10,000 events and look up 1,000 statuses.
            for (long after = Math.Max(0, memoryEvents - 10_000); ;)
            {
                var page = JsonNode.Parse(await child.QueryAsync(http, $"/v1/events?after={after}&limit=1000"))!;
                if (page["events"]!.AsArray().Count == 0) break;
                after = (long)page["next"]!;
            }
            var ids = new JsonObject { ["messageIds"] = new JsonArray(Enumerable.Range(0, 1000).Select(n => (JsonNode)JsonValue.Create($"wamid.BENCH{n * (memoryEvents / 1000)}")!).ToArray()) };
            var statuses = JsonNode.Parse(await child.PostQueryAsync(http, "/v1/status/query", ids.ToJsonString()))!["statuses"]!.AsArray();
            if (statuses.Count != 1000) throw new InvalidOperationException($"Expected 1,000 statuses, got {statuses.Count}.");
        }
        var process = Process.GetProcessById(child.ProcessId);
        process.Refresh();
        string health = await child.HealthAsync();
        Console.WriteLine();
        Console.WriteLine($"Scenario 9: {memoryEvents:N0} events stored in {clock.Elapsed.TotalSeconds:0} s ({filled.Failed} failed posts); healthz: {health}");
        Console.WriteLine(FormattableString.Invariant($"receiver working set: {process.WorkingSet64 / 1048576.0:0.0} MB (peak {process.PeakWorkingSet64 / 1048576.0:0.0} MB); store file: {new FileInfo(Path.Combine(work, "memory.db")).Length / 1048576.0:0} MB, WAL: {new FileInfo(Path.Combine(work, "memory.db-wal")).Length / 1048576.0:0} MB"));
        Console.WriteLine($"target: < 200 MB -> {(process.WorkingSet64 < 200L * 1048576 ? "met" : "NOT met")}");
    }
    return 0;
}
finally
{
    try { Directory.Delete(work, recursive: true); } catch (IOException) { }
}

static string Status(int n) => "{\"id\":\"wamid.BENCH" + n.ToString(CultureInfo.InvariantCulture) + "\",\"status\":\"delivered\",\"timestamp\":\"" +
    (1_700_000_000 + n).ToString(CultureInfo.InvariantCulture) + "\",\"recipient_id\":\"9199" + (n % 1_000_000).ToString("000000", CultureInfo.InvariantCulture) + "55\"}";

int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
