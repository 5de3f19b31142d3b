using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using Sobot.Client.Receiver;

/// <summary>
/// Scenario 12: waiting costs nothing while listening. A store pre-filled with 200,000 inbound messages takes webhooks
/// (one inbound message per POST) first with no wait in flight, then with ten waits in flight, in the same run; the
/// waits are the client's <see cref="ReplyWaiter"/> (what Wait-SobotReply runs), each asking again as soon as it is
/// answered, and each answer's latency is timed from the start of its POST to the wait returning it.
/// Targets: ingest with waits at least 70% of ingest without, p99 acknowledgement with waits at most 100 ms, answer
/// latency p95 at most 250 ms.
/// </summary>
public static class WaitScenario
{
    public const int Waits = 10;
    private const int PerBody = 100;

    public static async Task<bool> RunAsync(Child receiver, string storeName, int prefill, int events, int posters)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // The history: 50,000 customers over the last two days, 100 messages to a post to get there quickly.
        var filling = Stopwatch.StartNew();
        var filled = await Posting.RunAsync(receiver.WebhookUrl, prefill / PerBody, posters, 0, b =>
            "[{\"field\":\"messages\",\"value\":{\"messages\":[" + string.Join(",", Enumerable.Range(b * PerBody, PerBody).Select(n =>
                Message($"wamid.P{n}", Customer(n), now - 172_800 + n * 172_800L / prefill, "history"))) + "]}}]");
        if (filled.Failed > 0) throw new InvalidOperationException($"{filled.Failed} posts of the history failed.");
        Console.WriteLine($"Scenario 12 ({storeName}): {prefill:N0} inbound messages stored in {filling.Elapsed.TotalSeconds:0} s");

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
        }
        var without = Measurement.Sum(withoutRounds);
        var with = Measurement.Sum(withRounds);

        var answered = latencies.SelectMany(l => l).Order().ToList();
        double At(double q) => answered.Count == 0 ? double.NaN : answered[Math.Min(answered.Count - 1, (int)Math.Ceiling(q * answered.Count) - 1)];
        double ratio = with.EventsPerSecond / without.EventsPerSecond;
        bool met = ratio >= 0.70 && with.P99Ms <= 100 && At(0.95) <= 250 && missed.Sum() == 0 && with.Failed == 0 && without.Failed == 0;
        Console.WriteLine();
        Console.WriteLine($"Scenario 12 ({storeName}): store of {prefill:N0} inbound messages; {events:N0} inbound messages a side in two alternating rounds each, {posters} posters, one per POST; {Waits} waits (ReplyWaiter)");
        Console.WriteLine(Measurement.Header);
        Console.WriteLine(without.Row("ingest, no wait in flight"));
        Console.WriteLine(with.Row($"ingest, {Waits} waits in flight"));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "wait answers (POST of the answer -> the wait returns it): {0} answered, {1} missed; p50 {2:0} ms, p95 {3:0} ms, max {4:0} ms",
            answered.Count, missed.Sum(), At(0.50), At(0.95), answered.Count == 0 ? double.NaN : answered[^1]));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "targets: ingest with waits >= 70% of without ({0:0}%), p99 ack with waits <= 100 ms ({1:0.0} ms), answer p95 <= 250 ms ({2:0} ms) -> {3}",
            ratio * 100, with.P99Ms, At(0.95), met ? "met" : "NOT met"));
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
