using System.Diagnostics;
using System.Text.Json.Nodes;

/// <summary>A server under test, run as its own process: the receiver (handshake line) or this program's bare endpoint.</summary>
public sealed class Child : IDisposable
{
    private readonly Process _process;

    private Child(Process process, string webhookUrl, string queryUrl, string queryKey)
    {
        _process = process;
        WebhookUrl = webhookUrl;
        QueryUrl = queryUrl;
        QueryKey = queryKey;
    }

    public string WebhookUrl { get; }
    public string QueryUrl { get; }
    public string QueryKey { get; }
    public int ProcessId => _process.Id;

    public static Child StartReceiver(string store) => StartReceiver(["--store", store], null);

    /// <summary>A receiver on PostgreSQL; the connection string, the token and the query key go through the environment, never the command line.</summary>
    public static Child StartPostgresReceiver(string connectionString, string token, string queryKey) =>
        StartReceiver(["--store", "postgres"], new()
        {
            ["SOBOT_RECEIVER_CONNECTION_STRING"] = connectionString,
            ["SOBOT_RECEIVER_TOKEN"] = token,
            ["SOBOT_RECEIVER_KEY"] = queryKey,
        });

    private static Child StartReceiver(string[] storeArguments, Dictionary<string, string>? environment)
    {
        var ready = Start([Path.Combine(AppContext.BaseDirectory, "Sobot.Receiver.dll"), "--handshake", "--ingress-urls", "http://127.0.0.1:0",
            "--query-urls", "http://127.0.0.1:0", .. storeArguments], out var process, environment);
        if ((string?)ready["event"] != "ready") throw new InvalidOperationException("The receiver did not start: " + ready.ToJsonString());
        return new Child(process, (string)ready["webhookUrl"]!, (string)ready["queryUrl"]!, (string)ready["queryKey"]!);
    }

    public static Child StartBare()
    {
        var ready = Start([Path.Combine(AppContext.BaseDirectory, "ReceiverBench.dll"), "--bare-server"], out var process);
        return new Child(process, (string)ready["webhookUrl"]!, "", "");
    }

    private static JsonNode Start(string[] arguments, out Process process, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? []) info.Environment[name] = value;
        foreach (var a in arguments) info.ArgumentList.Add(a);
        process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return JsonNode.Parse(process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("No handshake line."))!;
    }

    public async Task<string> QueryAsync(HttpClient http, string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, QueryUrl + pathAndQuery);
        request.Headers.Add("x-receiver-key", QueryKey);
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<string> PostQueryAsync(HttpClient http, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, QueryUrl + path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("x-receiver-key", QueryKey);
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<string> HealthAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(QueryUrl + "/healthz");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
