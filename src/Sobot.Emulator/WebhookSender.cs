using System.Net.Http.Json;
using System.Threading.Channels;

namespace Sobot.Emulator;

/// <summary>
/// Posts webhook payloads to --webhook-url in the background, once each and never retried, as Sobot does:
/// sent, delivered and read statuses after each accepted message, and simulated inbound messages.
/// </summary>
public sealed class WebhookSender : IAsyncDisposable
{
    private readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Uri? _target;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private long _delivered;
    private long _failed;

    public WebhookSender(EmulatorOptions options)
    {
        _target = options.WebhookUrl is null ? null : new Uri(options.WebhookUrl);
        _loop = _target is null ? Task.CompletedTask : Task.Run(RunAsync);
    }

    public bool Enabled => _target != null;
    public long Delivered => Interlocked.Read(ref _delivered);
    public long Failed => Interlocked.Read(ref _failed);

    public void MessageAccepted(string wamid, DateTimeOffset at)
    {
        if (_target is null) return;
        long t = at.ToUnixTimeSeconds();
        _queue.Writer.TryWrite(Status(wamid, "sent", t));
        _queue.Writer.TryWrite(Status(wamid, "delivered", t + 1));
        _queue.Writer.TryWrite(Status(wamid, "read", t + 2));
    }

    public void Inbound(string displayNumber, string from, string? name, string wamid, string text, DateTimeOffset at)
    {
        if (_target is null) return;
        _queue.Writer.TryWrite(new object[]
        {
            new
            {
                field = "messages",
                value = new
                {
                    messaging_product = "whatsapp",
                    metadata = new { display_phone_number = displayNumber },
                    contacts = new[] { new { profile = new { name = name ?? from }, wa_id = from } },
                    messages = new[] { new { from, id = wamid, timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), type = "text", text = new { body = text } } },
                },
            },
        });
    }

    private static object Status(string wamid, string status, long timestamp) =>
        new { id = wamid, status, timestamp = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private async Task RunAsync()
    {
        try
        {
            await foreach (var payload in _queue.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    using var response = await _http.PostAsJsonAsync(_target, payload, _stop.Token);
                    Interlocked.Increment(ref response.IsSuccessStatusCode ? ref _delivered : ref _failed);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _failed);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        _stop.CancelAfter(TimeSpan.FromSeconds(2));
        await _loop;
        _http.Dispose();
        _stop.Dispose();
    }
}
