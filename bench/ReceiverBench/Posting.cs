using System.Diagnostics;
using System.Net;
using System.Text;

/// <summary>Concurrent posters: each takes the next number, posts its body, and times the answer.</summary>
public static class Posting
{
    public static Task<Measurement> RunAsync(string url, int count, int posters, int warmUp, Func<int, string> body) =>
        RunAsync([url], count, posters, warmUp, body);

    /// <summary>Posters spread evenly over several receivers (poster p posts to urls[p % n]), as a load balancer would.</summary>
    public static async Task<Measurement> RunAsync(IReadOnlyList<string> urls, int count, int posters, int warmUp, Func<int, string> body)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = posters }) { Timeout = TimeSpan.FromSeconds(60) };
        if (warmUp > 0) await RunOnceAsync(http, urls, warmUp, posters, i => body(-1 - i));
        return await RunOnceAsync(http, urls, count, posters, body);
    }

    private static async Task<Measurement> RunOnceAsync(HttpClient http, IReadOnlyList<string> urls, int count, int posters, Func<int, string> body)
    {
        int next = -1, failed = 0;
        var perPoster = new List<double>[posters];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, posters).Select(p => Task.Run(async () =>
        {
            var latencies = perPoster[p] = new List<double>(count / posters + 1);
            string url = urls[p % urls.Count];
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                long start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(url, new StringContent(body(i), Encoding.UTF8, "application/json"));
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode == HttpStatusCode.OK) latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                else Interlocked.Increment(ref failed);
            }
        })));
        clock.Stop();
        return Measurement.From(perPoster.SelectMany(l => l).ToList(), failed, clock.Elapsed.TotalSeconds);
    }
}
