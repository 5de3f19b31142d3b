using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Sobot.Receiver.Store.Sqlite;

namespace Sobot.Receiver.Tests;

/// <summary>
/// Hosts a receiver in process for one test: both listeners on free loopback ports, the store in a temp folder,
/// every log line captured. <see cref="Ingress"/> talks to the webhook side, <see cref="Query"/> carries the key,
/// <see cref="Bare"/> reaches the query listener without one.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    public const string Token = "tok_0123456789abcdefghijKLMNOP";
    public const string QueryKey = "key_0123456789abcdefghijKLMNOP";

    private readonly TempDirectory _folder;

    private Receiver(TempDirectory folder, ReceiverHost host, CapturedLogs logs)
    {
        _folder = folder;
        Host = host;
        Logs = logs;
        Ingress = new HttpClient { BaseAddress = host.IngressUrl };
        Query = new HttpClient { BaseAddress = new Uri(host.QueryUrl + "/") };
        Query.DefaultRequestHeaders.Add("x-receiver-key", QueryKey);
        Bare = new HttpClient { BaseAddress = new Uri(host.QueryUrl + "/") };
    }

    public ReceiverHost Host { get; }
    public CapturedLogs Logs { get; }
    public HttpClient Ingress { get; }
    public HttpClient Query { get; }
    public HttpClient Bare { get; }
    public string StorePath => Host.StorePath;
    public string WebhookPath => "webhook/" + Token;

    public static async Task<Receiver> StartAsync(Action<ReceiverOptions>? configure = null, SqliteStoreOptions? storeOptions = null)
    {
        var folder = new TempDirectory();
        var options = new ReceiverOptions
        {
            IngressUrls = [ListenAddress.Parse("test", "http://127.0.0.1:0")],
            QueryUrls = [ListenAddress.Parse("test", "http://127.0.0.1:0")],
            StorePath = folder.File("events.db"),
        };
        configure?.Invoke(options);
        var logs = new CapturedLogs();
        try
        {
            var host = await ReceiverHost.StartAsync(options, new ReceiverSecrets(Token, QueryKey),
                logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace),
                storeOptions: storeOptions == null ? null : storeOptions with { Path = options.StorePath });
            return new Receiver(folder, host, logs);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    public Task<HttpResponseMessage> PostWebhookAsync(string body) => PostWebhookAsync(Encoding.UTF8.GetBytes(body));

    public Task<HttpResponseMessage> PostWebhookAsync(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Ingress.PostAsync(WebhookPath, content);
    }

    /// <summary>Posts and insists on 200; returns the reply's stored and duplicate counts.</summary>
    public async Task<(int Stored, int Duplicates)> DeliverAsync(string body)
    {
        using var response = await PostWebhookAsync(body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        var json = JsonNode.Parse(text)!;
        return ((int)json["stored"]!, (int)json["duplicates"]!);
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Query.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Sends a query API request that must be refused: 400 with a reason, in the API's error shape.</summary>
    public async Task AssertBadRequestAsync(string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body == null ? null : new StringContent(body) };
        using var response = await Query.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)error["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
    }

    /// <summary>The events of GET /v1/events with the given query string.</summary>
    public async Task<JsonArray> EventsAsync(string query = "") => (await GetJsonAsync("v1/events" + (query.Length > 0 ? "?" + query : "")))["events"]!.AsArray();

    /// <summary>Reads the store file directly, beside the receiver (WAL lets both in).</summary>
    public long CountRows(string table)
    {
        using var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        Ingress.Dispose();
        Query.Dispose();
        Bare.Dispose();
        await Host.DisposeAsync();
        _folder.Dispose();
    }
}
