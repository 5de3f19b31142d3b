using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Sobot.Receiver.Tests;

public class ProcessTests(ITestOutputHelper output)
{
    private static readonly string[] LoopbackPorts = ["--ingress-urls", "http://127.0.0.1:0", "--query-urls", "http://127.0.0.1:0"];

    [Fact]
    public async Task The_handshake_line_tells_a_launcher_everything_and_sigterm_stops_cleanly()
    {
        using var folder = new TempDirectory();
        using var child = await ChildReceiver.StartAsync([.. LoopbackPorts, "--store", folder.File("events.db"), "--max-waits", "1"]);
        var ready = child.FirstLine;
        Assert.Equal(("ready", 1, child.ProcessId), ((string)ready["event"]!, (int)ready["version"]!, (int)ready["pid"]!));
        string token = (string)ready["token"]!, key = (string)ready["queryKey"]!;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(folder.File("events.db"), (string)ready["store"]!);
        string webhookUrl = (string)ready["webhookUrl"]!, queryUrl = (string)ready["queryUrl"]!;
        Assert.Matches("^http://127\\.0\\.0\\.1:\\d+/webhook/" + token + "$", webhookUrl);
        Assert.Equal(queryUrl, (string)ready["queryUrls"]![0]!);

        using var http = new HttpClient();
        using (var post = await http.PostAsync(webhookUrl, new StringContent(Payloads.InboundText))) Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Get, queryUrl + "/v1/events");
        request.Headers.Add("x-receiver-key", key);
        using (var events = await http.SendAsync(request)) Assert.Contains("wamid.TEXT1", await events.Content.ReadAsStringAsync());

        // A long poll in progress must not hold the stop up: it is answered (empty) when the stop begins, not when its own
        // wait is over. It is known to be waiting on the receiver (not still on its way, where a stop would refuse it)
        // because it holds the one place --max-waits 1 allows: a probe is turned away 429. The one bound is the poll's
        // own wait (the longest a poll may ask for), measured from before it was sent, so its server-side start is later
        // still: a stop that waited for the poll cannot come in under it, however loaded the machine. How fast a stop
        // is belongs to no test.
        HttpRequestMessage Get(string query)
        {
            var get = new HttpRequestMessage(HttpMethod.Get, queryUrl + "/v1/events?" + query);
            get.Headers.Add("x-receiver-key", key);
            return get;
        }
        string pollQuery = $"after=1&waitMs={Query.EventEndpoints.MaxWaitMs}";
        var sincePollSent = System.Diagnostics.Stopwatch.StartNew();
        var polling = http.SendAsync(Get(pollQuery));
        await RefusalLogTests.Until(async () =>
        {
            // A probe may take the place before the poll does and turn it away: the poll then asks again.
            if (polling.IsCompleted && polling.Result.StatusCode == HttpStatusCode.TooManyRequests)
            {
                sincePollSent.Restart();
                polling = http.SendAsync(Get(pollQuery));
            }
            using var probe = await http.SendAsync(Get("after=1&waitMs=1"));
            return probe.StatusCode == HttpStatusCode.TooManyRequests;
        });
        var answeredAfter = polling.ContinueWith(_ => sincePollSent.ElapsedMilliseconds, TaskContinuationOptions.ExecuteSynchronously);
        Assert.True(child.Terminate(TimeSpan.FromSeconds(120)), "the receiver did not stop within 120 s of SIGTERM");
        Assert.Equal(0, child.ExitCode);
        using (var answered = await polling)
        {
            long ms = await answeredAfter;
            Assert.True(ms < Query.EventEndpoints.MaxWaitMs, $"the poll was answered {ms} ms after it was sent: the stop waited out its own wait");
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            Assert.Empty(JsonNode.Parse(await answered.Content.ReadAsStringAsync())!["events"]!.AsArray());
        }
        Assert.DoesNotContain(token, child.Stderr);
        Assert.DoesNotContain(key, child.Stderr);
        Assert.Contains("Receiver ready", child.Stderr);
    }

    [Fact]
    public async Task A_port_in_use_is_exit_1_with_one_line_naming_the_port_on_stderr_and_the_handshake_line()
    {
        using var folder = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var child = await ChildReceiver.StartAsync("--ingress-urls", "http://127.0.0.1:0", "--query-urls", $"http://127.0.0.1:{port}", "--store", folder.File("events.db"));
        string message = await AssertFailedStartAsync(child, 1, "portInUse");
        Assert.Contains($"Port {port} is in use", message);
        Assert.Contains("query API", message);
    }

    [Fact]
    public async Task A_token_folder_that_cannot_be_written_is_exit_1_with_one_line_naming_the_file()
    {
        using var folder = new TempDirectory();
        // A file where the folder should be: no account, root included, can create the token file under it.
        File.WriteAllText(folder.File("blocked"), "");
        string tokenFile = folder.File("blocked/token");
        using var child = await ChildReceiver.StartAsync([.. LoopbackPorts, "--store", folder.File("events.db"), "--token-file", tokenFile]);
        string message = await AssertFailedStartAsync(child, 1, "startFailed");
        Assert.StartsWith("Cannot create the token file " + tokenFile + ":", message);
    }

    [Fact]
    public async Task A_command_line_mistake_stays_exit_2()
    {
        using var child = await ChildReceiver.StartAsync("--retention-days", "soon");
        Assert.Contains("--retention-days", await AssertFailedStartAsync(child, 2, "commandLine"));
    }

    [Fact]
    public async Task One_sqlite_file_serves_one_receiver_and_its_lock_dies_with_the_process_even_on_sigkill()
    {
        using var folder = new TempDirectory();
        string store = folder.File("events.db");
        string[] args = [.. LoopbackPorts, "--store", store];
        using (var first = await ChildReceiver.StartAsync(ChildReceiver.Secrets, args))
        {
            Assert.Equal("ready", (string)first.FirstLine["event"]!);
            using (var second = await ChildReceiver.StartAsync(ChildReceiver.Secrets, args))
            {
                string message = await AssertFailedStartAsync(second, 1, "storeLocked");
                Assert.Contains(store, message);
                Assert.Contains($"pid {first.ProcessId}", message);
                Assert.Contains("PostgreSQL store (--store postgres)", message);
            }
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store + ".lock"));
            first.Kill();
        }
        // The lock file is still there, and means nothing: a new receiver starts at once.
        Assert.True(File.Exists(store + ".lock"));
        using var third = await ChildReceiver.StartAsync(ChildReceiver.Secrets, args);
        Assert.Equal("ready", (string)third.FirstLine["event"]!);
    }

    [Fact]
    public async Task The_receiver_says_beside_its_store_what_runs_there_without_a_secret()
    {
        using var folder = new TempDirectory();
        string store = folder.File("events.db"), tokenFile = folder.File("token"), keyFile = folder.File("query-key");
        using var child = await ChildReceiver.StartAsync([.. LoopbackPorts, "--store", store, "--token-file", tokenFile, "--query-key-file", keyFile, "--exit-with-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        string token = (string)child.FirstLine["token"]!, key = (string)child.FirstLine["queryKey"]!;
        string text = File.ReadAllText(store + ".receiver.json");
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(key, text);
        var state = JsonNode.Parse(text)!;
        Assert.Equal(child.ProcessId, (int)state["pid"]!);
        using var process = System.Diagnostics.Process.GetProcessById(child.ProcessId);
        var started = DateTime.Parse((string)state["processStartedAt"]!, null, System.Globalization.DateTimeStyles.RoundtripKind);
        Assert.InRange((process.StartTime.ToUniversalTime() - started).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal(((string)child.FirstLine["queryUrl"]!, store, tokenFile, keyFile, Environment.ProcessId),
            ((string)state["queryUrl"]!, (string)state["store"]!, (string)state["tokenFile"]!, (string)state["queryKeyFile"]!, (int)state["exitWithPid"]!));
        Assert.Equal(((string)child.FirstLine["webhookUrl"]!).Replace(token, "****" + token[^4..]), (string)state["webhookUrlMasked"]!);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store + ".receiver.json"));
    }

    /// <summary>A failed start: the error line on the handshake channel, the same one line on stderr (no stack trace), and the exit code.</summary>
    private static async Task<string> AssertFailedStartAsync(ChildReceiver child, int exitCode, string reason)
    {
        Assert.Equal("error", (string)child.FirstLine["event"]!);
        Assert.Equal((reason, exitCode), ((string)child.FirstLine["reason"]!, (int)child.FirstLine["exitCode"]!));
        await child.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(exitCode, child.ExitCode);
        string message = (string)child.FirstLine["message"]!;
        var stderr = child.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal([message], stderr);
        return message;
    }

    /// <summary>
    /// 32 posters send 2,000 status events (20,000 with SOBOT_SOAK=1); the receiver is SIGKILLed part-way and restarted
    /// on the same store; the posters then send everything that was not acknowledged. Every acknowledged event must be
    /// there, and every event exactly once (those committed but never acknowledged come again and must be recognised as
    /// duplicates).
    /// </summary>
    [Fact]
    [Trait("Category", Soak.Category)]
    public async Task Acknowledged_events_survive_sigkill_and_none_is_stored_twice()
    {
        const int posters = 32;
        int total = Soak.Events(usual: 2_000, full: 20_000);
        using var folder = new TempDirectory();
        string[] args = [.. LoopbackPorts, "--store", folder.File("events.db")];
        var acknowledged = new ConcurrentDictionary<int, bool>();
        var unacknowledged = new ConcurrentQueue<int>();
        int next = -1, heldBackFrom = total * 2 / 3;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        using (var first = await ChildReceiver.StartAsync(ChildReceiver.Secrets, args))
        {
            string url = first.Ready("webhookUrl");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var sending = Enumerable.Range(0, posters).Select(_ => Task.Run(async () =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < total)
                {
                    // The last third is held back until the kill, so the receiver cannot have taken every post before it,
                    // however the machine is loaded (the test's thread may notice the first third late).
                    if (n >= heldBackFrom) await killed.Task;
                    try
                    {
                        using var response = await http.PostAsync(url, new StringContent(Payloads.Status($"wamid.K{n}", "delivered", n)));
                        if (response.StatusCode == HttpStatusCode.OK) acknowledged[n] = true;
                        else unacknowledged.Enqueue(n);
                    }
                    catch (HttpRequestException)
                    {
                        unacknowledged.Enqueue(n);
                        return;   // the receiver is gone; this poster stops
                    }
                }
            })).ToArray();
            await RefusalLogTests.Until(() => acknowledged.Count >= total / 3 || sending.Any(t => t.IsCompleted),
                () => $"{acknowledged.Count} acknowledged");
            first.Kill();
            killed.SetResult();
            await Task.WhenAll(sending);
        }
        int ackedBeforeKill = acknowledged.Count;
        output.WriteLine($"acknowledged before SIGKILL: {ackedBeforeKill}; in flight or refused at the kill: {unacknowledged.Count}");
        Assert.InRange(ackedBeforeKill, total / 3, total - 1);

        using var second = await ChildReceiver.StartAsync(ChildReceiver.Secrets, args);
        string webhookUrl = second.Ready("webhookUrl"), queryUrl = second.Ready("queryUrl");
        using (var http = new HttpClient())
        {
            // Before anything new arrives: every acknowledged event came through the kill.
            var stored = await ReadAllMessageIdsAsync(http, queryUrl);
            Assert.All(acknowledged.Keys, n => Assert.Contains($"wamid.K{n}", stored));
            Assert.Equal(stored.Count, stored.Distinct().Count());

            // Then the rest: in flight at the kill (outcome unknown to the poster) and never sent.
            var remaining = new ConcurrentQueue<int>(unacknowledged.Concat(Enumerable.Range(Math.Min(next, total), Math.Max(0, total - next))).Distinct());
            await Task.WhenAll(Enumerable.Range(0, posters).Select(_ => Task.Run(async () =>
            {
                while (remaining.TryDequeue(out int n))
                {
                    using var response = await http.PostAsync(webhookUrl, new StringContent(Payloads.Status($"wamid.K{n}", "delivered", n)));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            })));
            var all = await ReadAllMessageIdsAsync(http, queryUrl);
            Assert.Equal(total, all.Count);
            Assert.Equal(Enumerable.Range(0, total).Select(n => $"wamid.K{n}").Order(), all.Order());
        }
        second.Kill();
        using var connection = new SqliteConnection($"Data Source={folder.File("events.db")};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*), count(DISTINCT dedup_key) FROM events";
        using var reader = count.ExecuteReader();
        reader.Read();
        Assert.Equal((total, total), (reader.GetInt32(0), reader.GetInt32(1)));
    }

    private static async Task<List<string>> ReadAllMessageIdsAsync(HttpClient http, string queryUrl)
    {
        var ids = new List<string>();
        long after = 0;
        while (true)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{queryUrl}/v1/events?after={after}&limit=1000");
            request.Headers.Add("x-receiver-key", Receiver.QueryKey);
            using var response = await http.SendAsync(request);
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var events = page["events"]!.AsArray();
            if (events.Count == 0) return ids;
            ids.AddRange(events.Select(e => (string)e!["messageId"]!));
            after = (long)page["next"]!;
        }
    }
}
