using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using Sobot.Client.Receiver;

/// <summary>
/// Scenario 12: waiting costs nothing while listening. A store pre-filled with 200,000 inbound messages takes webhooks
/// (one inbound message per POST) with no wait in flight, with ten waits in flight, and with as many long polls waiting
/// as the receiver allows (--max-waits, 256 by default) for numbers that never write, in the same run. The ten waits are
/// the client's <see cref="ReplyWaiter"/> (what Wait-SobotReply runs), each asking again as soon as it is answered, and
/// each answer's latency is timed from the start of its POST to the wait returning it; with the maximum, one poll more
/// must be turned away (429).
/// Targets: ingest with the ten waits, and with the maximum of waiting polls, at least 70% of ingest without; p99
/// acknowledgement with waits at most 100 ms; answer latency p95 at most 250 ms.
/// </summary>
public static class WaitScenario
{
    public const int Waits = 10;
    /// <summary>The receiver's default --max-waits, which the benchmark's receivers run with.</summary>
    public const int MaxWaits = 256;
    private const int PerBody = 100;

    /// <param name="afterPrefill">Run once the history is stored (PostgreSQL: the statistics autovacuum would have gathered by then).</param>
    public static async Task<bool> RunAsync(Child receiver, string storeName, int prefill, int events, int posters, Func<Task>? afterPrefill = null)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // The history: 50,000 customers over the last two days, 100 messages to a post to get there quickly.
        var filling = Stopwatch.StartNew();
        var filled = await Posting.RunAsync(receiver.WebhookUrl, prefill / PerBody, posters, 0, b =>
            "[{\"field\":\"messages\",\"value\":{\"messages\":[" + string.Join(",", Enumerable.Range(b * PerBody, PerBody).Select(n =>
                Message($"wamid.P{n}", Customer(n), now - 172_800 + n * 172_800L / prefill, "history"))) + "]}}]");
        if (filled.Failed > 0) throw new InvalidOperationException($"{filled.Failed} posts of the history failed.");
        Console.WriteLine($"Scenario 12 ({storeName}): {prefill:N0} inbound messages stored in {filling.Elapsed.TotalSeconds:0} s");
        if (afterPrefill != null) await afterPrefill();

        string Live(int n) => "[{\"field\":\"messages\",\"value\":{\"messages\":[" + Message($"wamid.L{n}", Customer(n), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "hello") + "]}}]";
        // Rounds alternate (without, with, without, with) so that the store's growth and the WAL's checkpoints over
        // the run weigh on both sides alike; each side posts the same number of events in all.
        using var client = new SobotReceiverClient(new SobotReceiverOptions(new Uri(receiver.QueryUrl), Secret(receiver.QueryKey)));
        using var answers = new HttpClient();
        var latencies = new List<double>[Waits];
        for (int w = 0; w < Waits; w++) latencies[w] = [];
        var missed = new int[Waits];
        var withoutRounds = new List<Measurement>();
        var withRounds = new List<Measurement>();
        var maxRounds = new List<Measurement>();
        int turnedAway = 0;
        const int Rounds = 2;
        int perRound = events / Rounds;
        int offset = 0;
        for (int round = 0; round < Rounds; round++)
        {
            int first = offset;
            withoutRounds.Add(await Posting.RunAsync(receiver.WebhookUrl, perRound, posters, round == 0 ? Math.Min(5_000, events / 10) : 0, n => Live(first + n)));
            offset += perRound;
            using var stop = new CancellationTokenSource();
            var waits = Enumerable.Range(0, Waits).Select(w => Task.Run(() => WaitLoopAsync(w, round, client, answers, receiver.WebhookUrl, latencies[w], missed, stop.Token))).ToList();
            int second = offset;
            withRounds.Add(await Posting.RunAsync(receiver.WebhookUrl, perRound, posters, 0, n => Live(second + n)));
            offset += perRound;
            stop.Cancel();
            await Task.WhenAll(waits);

            // As many long polls as the receiver allows, waiting for numbers that never write: none of the commits
            // below matches them. They are all in place once one more is turned away.
            using var idle = new CancellationTokenSource();
            long head = await HeadAsync(receiver);
            var polls = Enumerable.Range(0, MaxWaits).Select(p => Task.Run(() => IdlePollAsync(receiver, p, head, idle.Token))).ToList();
            turnedAway += await UntilFullAsync(receiver);
            // A poll holds its place before it reads: let the last of the 256 first reads finish, so what is timed is
            // ingest beside polls that wait, not their arrival all at once.
            await Task.Delay(TimeSpan.FromSeconds(2));
            int third = offset;
            maxRounds.Add(await Posting.RunAsync(receiver.WebhookUrl, perRound, posters, 0, n => Live(third + n)));
            offset += perRound;
            idle.Cancel();
            await Task.WhenAll(polls);
        }
        var without = Measurement.Sum(withoutRounds);
        var with = Measurement.Sum(withRounds);
        var atMax = Measurement.Sum(maxRounds);

        var answered = latencies.SelectMany(l => l).Order().ToList();
        double At(double q) => answered.Count == 0 ? double.NaN : answered[Math.Min(answered.Count - 1, (int)Math.Ceiling(q * answered.Count) - 1)];
        double ratio = with.EventsPerSecond / without.EventsPerSecond;
        double maxRatio = atMax.EventsPerSecond / without.EventsPerSecond;
        bool met = ratio >= 0.70 && maxRatio >= 0.70 && with.P99Ms <= 100 && At(0.95) <= 250 && missed.Sum() == 0 && with.Failed == 0 && without.Failed == 0 && atMax.Failed == 0;
        Console.WriteLine();
        Console.WriteLine($"Scenario 12 ({storeName}): store of {prefill:N0} inbound messages; {events:N0} inbound messages a side in two rounds, the sides alternating, {posters} posters, one per POST; {Waits} waits (ReplyWaiter); {MaxWaits} waiting polls (--max-waits) that never match");
        Console.WriteLine(Measurement.Header);
        Console.WriteLine(without.Row("ingest, no wait in flight"));
        Console.WriteLine(with.Row($"ingest, {Waits} waits in flight"));
        Console.WriteLine(atMax.Row($"ingest, {MaxWaits} polls waiting (the maximum)"));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "ingest with the maximum number of waiting polls vs without: {0:0}% (target >= 70%); one poll more was answered 429 with Retry-After in each round ({1} turned away in all)",
            maxRatio * 100, turnedAway));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "wait answers (POST of the answer -> the wait returns it): {0} answered, {1} missed; p50 {2:0} ms, p95 {3:0} ms, max {4:0} ms",
            answered.Count, missed.Sum(), At(0.50), At(0.95), answered.Count == 0 ? double.NaN : answered[^1]));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "targets: ingest with {0} waits >= 70% of without ({1:0}%), with {2} waiting polls >= 70% ({3:0}%), p99 ack with waits <= 100 ms ({4:0.0} ms), answer p95 <= 250 ms ({5:0} ms) -> {6}",
            Waits, ratio * 100, MaxWaits, maxRatio * 100, with.P99Ms, At(0.95), met ? "met" : "NOT met"));
        return met;
    }

    /// <summary>One wait slot: ask, let the wait settle into its long poll, post the answer as Sobot would, time the wait's return; again until stopped.</summary>
    private static async Task WaitLoopAsync(int slot, int batch, SobotReceiverClient client, HttpClient http, string webhookUrl, List<double> latencies, int[] missed, CancellationToken stop)
    {
        var random = new Random(slot * 100 + batch);
        string number = $"9197000000{slot:00}";
        for (int round = 0; !stop.IsCancellationRequested; round++)
        {
            string question = $"wamid.Q{slot}.{batch}.{round}";
            var waiter = new ReplyWaiter(client, [new ReplyQuestion(number, DateTimeOffset.UtcNow, question, null)]);
            var next = waiter.NextAsync(DateTimeOffset.UtcNow.AddSeconds(30), CancellationToken.None);
            await Task.Delay(random.Next(100, 300), CancellationToken.None);
            long posted = Stopwatch.GetTimestamp();
            string answer = "[{\"field\":\"messages\",\"value\":{\"messages\":[" + Message($"wamid.A{slot}.{batch}.{round}", number, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "yes",
                ",\"context\":{\"from\":\"918788000000\",\"id\":\"" + question + "\"}") + "]}}]";
            using (var response = await http.PostAsync(webhookUrl, new StringContent(answer, Encoding.UTF8, "application/json"), CancellationToken.None))
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"The answer's post was answered {(int)response.StatusCode}.");
            if (await next is null) missed[slot]++;
            else latencies.Add(Stopwatch.GetElapsedTime(posted).TotalMilliseconds);
        }
    }

    /// <summary>One long poll after another for a number that never writes, from the head; each ends after its 30 s (or when turned away) and asks again.</summary>
    private static async Task IdlePollAsync(Child receiver, int slot, long head, CancellationToken stop)
    {
        string number = "9196" + slot.ToString("00000000", CultureInfo.InvariantCulture);
        while (!stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{receiver.QueryUrl}/v1/events?after={head}&type=inbound&customerNumber={number}&waitMs=30000");
            request.Headers.Add("x-receiver-key", receiver.QueryKey);
            try
            {
                using var response = await Polls.SendAsync(request, stop);
                // Turned away while the probe held a place: as a client does, ask again after Retry-After.
                if (response.StatusCode == HttpStatusCode.TooManyRequests) await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), stop);
                else if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"A waiting poll was answered {(int)response.StatusCode}.");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Waits until every place is taken: a poll more is answered 429 with Retry-After. Returns how many probes were turned away (1).</summary>
    private static async Task<int> UntilFullAsync(Child receiver)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{receiver.QueryUrl}/v1/events?after=0&customerNumber=919500000000&waitMs=1");
            request.Headers.Add("x-receiver-key", receiver.QueryKey);
            using var response = await Polls.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                if (response.Headers.RetryAfter?.Delta is null) throw new InvalidOperationException("A 429 without Retry-After.");
                return 1;
            }
            if (DateTimeOffset.UtcNow > deadline) throw new InvalidOperationException($"{MaxWaits} waiting polls did not fill the receiver's places within 60 s.");
            await Task.Delay(50);
        }
    }

    private static async Task<long> HeadAsync(Child receiver)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{receiver.QueryUrl}/v1/events?limit=1&customerNumber=919500000000");
        request.Headers.Add("x-receiver-key", receiver.QueryKey);
        using var response = await Polls.SendAsync(request);
        return (long)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["head"]!;
    }

    /// <summary>The waiting polls' client: one connection each, however many.</summary>
    private static readonly HttpClient Polls = new(new SocketsHttpHandler { MaxConnectionsPerServer = MaxWaits + 16 }) { Timeout = TimeSpan.FromSeconds(60) };

    private static string Customer(int n) => "9198" + (Math.Abs(n) % 50_000).ToString("00000000", CultureInfo.InvariantCulture);

    private static string Message(string id, string from, long timestamp, string text, string context = "") =>
        "{\"from\":\"" + from + "\",\"id\":\"" + id + "\",\"timestamp\":\"" + timestamp.ToString(CultureInfo.InvariantCulture) + "\",\"type\":\"text\"" + context +
        ",\"text\":{\"body\":\"" + text + "\"}}";

    private static SecureString Secret(string text)
    {
        var secret = new SecureString();
        foreach (char c in text) secret.AppendChar(c);
        secret.MakeReadOnly();
        return secret;
    }
}
