using System.Net;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Sobot.Receiver.Tests;

/// <summary>Refused requests cost a counter and one summary line per interval, never a line each at the default level, and no line holds a secret.</summary>
public partial class RefusalLogTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Five_thousand_wrong_token_posts_grow_the_log_by_less_than_100_KB_and_are_summed_up()
    {
        using var folder = new TempDirectory();
        // The default log level; only the summary interval is shortened (an option kept for tests), so the test need not wait a minute.
        using var child = await ChildReceiver.StartAsync("--ingress-urls", "http://127.0.0.1:0", "--query-urls", "http://127.0.0.1:0",
            "--store", folder.File("events.db"), "--refusal-summary-seconds", "1");
        string token = (string)child.FirstLine["token"]!, key = (string)child.FirstLine["queryKey"]!;
        var webhook = new Uri((string)child.FirstLine["webhookUrl"]!);
        string wrong = token[..^1] + (token[^1] == 'A' ? "B" : "A");
        await Until(() => child.Stderr.Contains("Receiver ready", StringComparison.Ordinal));
        int before = child.Stderr.Length;

        using var http = new HttpClient();
        int next = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= 5000)
            {
                using var response = await http.PostAsync(new Uri(webhook, wrong), new StringContent(Payloads.InboundText));
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
        })));

        // Every refusal is in a summary line (one per second here, one per minute by default).
        await Until(() => Summaries(child.Stderr).Sum() == 5000);
        int grown = child.Stderr.Length - before;
        output.WriteLine($"stderr grew by {grown} bytes for 5,000 refused posts; summary lines:");
        foreach (var line in child.Stderr.Split('\n').Where(l => l.Contains("Refused", StringComparison.Ordinal))) output.WriteLine(line);
        Assert.InRange(grown, 1, 100 * 1024 - 1);
        Assert.Matches(@"Refused [\d,]+ webhook posts? with a wrong token from 127\.0\.0\.1 in the last ", child.Stderr);
        Assert.DoesNotContain(token, child.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, child.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(key, child.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_kind_of_refusal_is_counted_summed_up_and_logged_one_by_one_only_at_debug_without_a_secret()
    {
        await using var r = await Receiver.StartAsync(o =>
        {
            o.RefusalSummaryInterval = TimeSpan.FromSeconds(1);
            o.MaxWaits = 1;
        });
        string nearMiss = Receiver.Token[..^1] + "X";
        for (int i = 0; i < 3; i++)
            using (var response = await r.Ingress.PostAsync("webhook/" + nearMiss, new StringContent(Payloads.InboundText))) Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using (var get = await r.Ingress.GetAsync(r.WebhookPath)) Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using (var post = await r.Ingress.PostAsync("healthz", new StringContent(""))) Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        using (var nothing = await r.Ingress.GetAsync("nothing/here")) Assert.Equal(HttpStatusCode.NotFound, nothing.StatusCode);
        using (var nothing = await r.Query.GetAsync("v1/nothing")) Assert.Equal(HttpStatusCode.NotFound, nothing.StatusCode);
        using (var large = await r.PostWebhookAsync(new byte[3 * 1024 * 1024 + 1])) Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        using (var keyless = await r.Bare.GetAsync("v1/events")) Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
        // One poll holds the one place; another is then turned away. A probe may take the place first and turn the
        // holder away: then the holder asks again. Every 429 either got is counted.
        int turnedAway = 0;
        Task<HttpResponseMessage> Hold() => r.Query.GetAsync("v1/events?customerNumber=919000000001&waitMs=30000");
        var holding = Hold();
        await Until(async () =>
        {
            if (holding.IsCompleted)
            {
                using (var answered = await holding) if (answered.StatusCode == HttpStatusCode.TooManyRequests) turnedAway++;
                holding = Hold();
            }
            using var probe = await r.Query.GetAsync("v1/events?customerNumber=919000000002&waitMs=1");
            if (probe.StatusCode != HttpStatusCode.TooManyRequests) return false;
            turnedAway++;
            return true;
        });

        // (level, what, how many): a kind's refusals may straddle two summaries, so their counts are added up.
        (string, string, int)[] expected =
        [
            ("Information", "webhook posts? with a wrong token", 3),
            ("Information", "requests? with a method (its|their) path does not take", 2),
            ("Information", "requests? for a path that does not exist", 2),
            ("Warning", "webhook posts? with a body over 3 MB", 1),
            ("Warning", "query API requests? without the right x-receiver-key", 1),
            ("Warning", "long polls? over --max-waits \\(answered 429\\)", turnedAway),
        ];
        await Until(() => expected.All(e => r.Logs.Refused(e.Item1, e.Item2) >= e.Item3),
            () => string.Join("\n", r.Logs.Lines.Where(l => l.Contains("RefusalLog", StringComparison.Ordinal))));
        Assert.All(expected, e => Assert.Equal(e.Item3, r.Logs.Refused(e.Item1, e.Item2)));
        // At Debug (these logs keep everything), one line each as well.
        Assert.Equal(3, r.Logs.Lines.Count(l => l.StartsWith("Debug Sobot.Receiver.RefusalLog: Refused a webhook post with a wrong token from 127.0.0.1", StringComparison.Ordinal)));
        foreach (var line in r.Logs.Lines.Where(l => l.Contains("RefusalLog", StringComparison.Ordinal))) output.WriteLine(line);
        Assert.DoesNotContain(r.Logs.Lines, l => l.Contains(Receiver.Token, StringComparison.Ordinal) || l.Contains(nearMiss, StringComparison.Ordinal)
            || l.Contains(Receiver.QueryKey, StringComparison.Ordinal));
        // Nor a path: the one refused may hold a token.
        Assert.DoesNotContain(r.Logs.Lines, l => l.Contains("RefusalLog", StringComparison.Ordinal) && l.Contains("webhook/", StringComparison.Ordinal));
        await r.DeliverAsync(Payloads.Inbound("wamid.FREE", "919000000001", "ends the held poll"));
        (await holding).Dispose();
    }

    /// <summary>The counts of the wrong-token summary lines in a log.</summary>
    private static IEnumerable<int> Summaries(string log) =>
        WrongTokenSummary().Matches(log).Select(m => int.Parse(m.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"Refused ([\d,]+) webhook posts? with a wrong token")]
    private static partial Regex WrongTokenSummary();

    internal static Task Until(Func<bool> condition, Func<string>? state = null) => Until(() => Task.FromResult(condition()), state);

    internal static async Task Until(Func<Task<bool>> condition, Func<string>? state = null)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The condition did not hold within 60 s. " + state?.Invoke());
            await Task.Delay(50);
        }
    }
}
