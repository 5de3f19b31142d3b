using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Sobot.Emulator;

/// <summary>
/// Posts webhook payloads to --webhook-url in the background, once each and never retried, as Sobot does:
/// the statuses of each accepted message (sent, then delivered and read, or failed) after --status-delay-ms,
/// and customers' messages. A post that fails is counted and its reason kept for <c>/_emulator/stats</c>.
/// </summary>
public sealed class WebhookSender : IAsyncDisposable
{
    /// <summary>WhatsApp's error for a message that could not be delivered, as a failed status carries it.</summary>
    public const int UndeliverableCode = 131026;
    private const int KeptErrors = 20;

    private readonly Channel<JsonNode> _queue;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly EmulatorOptions _options;
    private readonly ILogger<WebhookSender> _log;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<WebhookError> _errors = new();
    private long _delivered;
    private long _failed;
    private long _pendingDelayed;
    // Queued or being posted: a webhook counts as pending until its post has ended.
    private long _unposted;

    public WebhookSender(EmulatorOptions options, ILogger<WebhookSender> log)
    {
        _options = options;
        _log = log;
        _queue = Channel.CreateBounded<JsonNode>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest },
            _ =>
            {
                Interlocked.Decrement(ref _unposted);
                Fail("dropped: more than 100000 webhooks waiting");
            });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Whether a webhook URL is set now (it can be changed while running).</summary>
    public bool Enabled => _options.WebhookUrl != null;
    public long Delivered => Interlocked.Read(ref _delivered);
    public long Failed => Interlocked.Read(ref _failed);
    /// <summary>Webhooks not posted yet: statuses still waiting for their --status-delay-ms, queued ones, and the one being posted.</summary>
    public long Pending => Interlocked.Read(ref _pendingDelayed) + Interlocked.Read(ref _unposted);

    /// <summary>The last failed posts, oldest first.</summary>
    public IReadOnlyList<WebhookError> Errors
    {
        get { lock (_errors) return _errors.ToList(); }
    }

    /// <summary>Queues the statuses of an accepted message, each after its delay; the timestamps follow the same timeline.</summary>
    public void MessageAccepted(AcceptedMessage message)
    {
        if (!Enabled) return;
        var d = _options.StatusDelays;
        var steps = message.Outcome switch
        {
            MessageOutcome.Failed => new[] { ("sent", d.Sent), ("failed", d.Delivered) },
            MessageOutcome.Delivered => [("sent", d.Sent), ("delivered", d.Delivered)],
            _ => [("sent", d.Sent), ("delivered", d.Delivered), ("read", d.Read)],
        };
        long at = message.ReceivedAt.ToUnixTimeMilliseconds();
        long lastSecond = 0;
        var timeline = new List<(int DelayMs, JsonNode Payload)>();
        foreach (var (status, delay) in steps)
        {
            at += delay;
            // At least a second apart, so sorting by timestamp gives the order of events.
            lastSecond = Math.Max(lastSecond + 1, at / 1000);
            timeline.Add((delay, Status(message, status, lastSecond)));
        }
        if (timeline.All(s => s.DelayMs == 0))
        {
            foreach (var (_, payload) in timeline) Enqueue(payload);
            return;
        }
        Interlocked.Add(ref _pendingDelayed, timeline.Count);
        _ = Task.Run(async () =>
        {
            foreach (var (delay, payload) in timeline)
            {
                try { await Task.Delay(delay, _stop.Token); }
                catch (OperationCanceledException) { return; }
                Enqueue(payload);
                Interlocked.Decrement(ref _pendingDelayed);
            }
        });
    }

    /// <summary>Queues a payload as it is (a customer's message); false when no webhook URL is set.</summary>
    public bool Post(JsonNode payload) => Enabled && Enqueue(payload);

    /// <summary>Counted as pending before it is queued, so that it never reads as done before its post has ended.</summary>
    private bool Enqueue(JsonNode payload)
    {
        Interlocked.Increment(ref _unposted);
        if (_queue.Writer.TryWrite(payload)) return true;
        Interlocked.Decrement(ref _unposted);
        return false;
    }

    private static JsonObject Status(AcceptedMessage message, string status, long timestamp)
    {
        var body = new JsonObject
        {
            ["id"] = message.Id,
            ["status"] = status,
            ["timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture),
        };
        if (status == "failed")
        {
            body["recipient_id"] = message.CustomerNumber;
            body["errors"] = new JsonArray(new JsonObject { ["code"] = UndeliverableCode, ["title"] = "Message undeliverable" });
        }
        return body;
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var payload in _queue.Reader.ReadAllAsync(_stop.Token))
            {
                try { await PostAsync(payload); }
                finally { Interlocked.Decrement(ref _unposted); }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One post, once; a failure is counted and kept, never retried.</summary>
    private async Task PostAsync(JsonNode payload)
    {
        var target = _options.WebhookUrl;
        if (target is null) return;
        try
        {
            using var content = new StringContent(payload.ToJsonString(EmulatorJson.Wire), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(target, content, _stop.Token);
            if (response.IsSuccessStatusCode) Interlocked.Increment(ref _delivered);
            else Fail($"{Shown(target)} answered {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
        {
            Fail($"{Shown(target)}: {ex.Message}");
        }
    }

    /// <summary>The URL as the log and /_emulator/stats show it: its last path segment (a receiver's token) masked to its last four characters.</summary>
    internal static string Shown(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "the webhook URL";
        string path = uri.AbsolutePath.TrimEnd('/');
        int cut = path.LastIndexOf('/') + 1;
        string last = path[cut..];
        string masked = last.Length <= 4 ? new string('*', last.Length) : "****" + last[^4..];
        return uri.GetLeftPart(UriPartial.Authority) + path[..cut] + masked;
    }

    private void Fail(string reason)
    {
        Interlocked.Increment(ref _failed);
        _log.LogWarning("Webhook post failed (not retried): {Reason}", reason);
        lock (_errors)
        {
            if (_errors.Count >= KeptErrors) _errors.Dequeue();
            _errors.Enqueue(new WebhookError(DateTimeOffset.UtcNow, reason));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        _stop.CancelAfter(TimeSpan.FromSeconds(2));
        await _loop;
        _stop.Cancel(); // statuses still waiting for their delay are not sent
        _http.Dispose();
        _stop.Dispose();
    }
}
