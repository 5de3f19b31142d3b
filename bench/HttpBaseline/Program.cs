// Sends N template messages to a Sobot API with a fixed concurrency using one HttpClient and nothing else:
// no validation, no journal, no PowerShell. An optional untimed warm-up pass runs first (JIT tiering,
// connection pool). Prints "<sent> <failed> <seconds> <cpu seconds> <user cpu seconds> <system cpu seconds>" of the
// timed pass: the CPU this process used (all its threads) while sending.
using System.Diagnostics;
using System.Text;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: HttpBaseline <baseUri> <count> <concurrency> [warm-up count]");
    return 2;
}
var baseUri = new Uri(args[0].TrimEnd('/') + "/");
int count = int.Parse(args[1]);
int concurrency = int.Parse(args[2]);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseUri };
int warmup = args.Length > 3 ? int.Parse(args[3]) : 0;
int next = -1, sent = 0, failed = 0, limit = 0;

async Task Worker()
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < limit)
    {
        string body = $$"""{"customer_number":"9199{{i % 1000000:000000}}55","customer_name":"Customer {{i}}","template_name":"order_update","template_lang":"en","params":[{"type":"body","parameters":[{"type":"text","text":"{{i}}"}]}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "message/") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "demo-access-key");
        request.Headers.Add("x-api-secret", "demo-secret-key");
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        Interlocked.Increment(ref response.IsSuccessStatusCode ? ref sent : ref failed);
    }
}

async Task RunAsync(int n)
{
    next = -1; sent = 0; failed = 0; limit = n;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
}

if (warmup > 0) await RunAsync(warmup);
var self = Process.GetCurrentProcess();
self.Refresh();
TimeSpan user0 = self.UserProcessorTime, system0 = self.PrivilegedProcessorTime;
var watch = Stopwatch.StartNew();
await RunAsync(count);
watch.Stop();
self.Refresh();
double user = (self.UserProcessorTime - user0).TotalSeconds, system = (self.PrivilegedProcessorTime - system0).TotalSeconds;
Console.WriteLine(FormattableString.Invariant($"{sent} {failed} {watch.Elapsed.TotalSeconds:0.000} {user + system:0.000} {user:0.000} {system:0.000}"));
return 0;
