using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sobot.Client.Receiver;
using Sobot.Client.Validation;

namespace Sobot.Client.Tests;

/// <summary>
/// The receiver's query API in memory, as decisions 3 and 6 of its contract describe it (events with head,
/// several customerNumbers, effectiveAt, long polls woken by new events; health; consumers with leases), so the
/// waits and the consumer client can be tested without a receiver. Every request is recorded.
/// </summary>
internal sealed class FakeReceiver : HttpMessageHandler
{
    public const string Key = "key_0123456789abcdefghijKLMNOP";
    public static readonly Uri QueryUri = new("http://127.0.0.1:8081/");
    private readonly object _gate = new();
    private readonly List<JsonObject> _events = [];
    private readonly Dictionary<string, JsonObject> _consumers = new(StringComparer.Ordinal);
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Each request: method, path and query.</summary>
    public List<string> Requests { get; } = [];

    /// <summary>An older receiver: no head, no effectiveAt, one customerNumber (several are read joined, as ASP.NET Core does), no leases.</summary>
    public bool Older { get; set; }

    /// <summary>The longest a long poll is held, whatever it asks (short, so a test sees polls that found nothing end).</summary>
    public int MaxWaitMs { get; set; } = 30_000;

    /// <summary>Refuses every connection, as a stopped receiver does.</summary>
    public bool Down { get; set; }

    /// <summary>Answers every request with this status instead (e.g. 401).</summary>
    public int? ForcedStatus { get; set; }

    /// <summary>How many of the next long polls (waitMs) to turn away with 429 and Retry-After: 1, as a receiver at its --max-waits does.</summary>
    public int BusyPolls { get; set; }

    /// <summary>Long polls turned away so far.</summary>
    public int TurnedAway { get; private set; }

    /// <summary>Called as a long poll is turned away, before the answer goes out (a test stores an event then).</summary>
    public Action? OnTurnedAway { get; set; }

    public SobotReceiverClient Client() => new(new SobotReceiverOptions(QueryUri, Secure(Key)) { Handler = this, Timeout = TimeSpan.FromSeconds(10) });

    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char c in text) s.AppendChar(c);
        return s;
    }

    /// <summary>Stores a customer's message; its effective time is WhatsApp's timestamp, but never later than arrival + 3 minutes.</summary>
    public long Inbound(string from, string? text = null, DateTimeOffset? timestamp = null, DateTimeOffset? receivedAt = null, string? replyTo = null, string? button = null)
    {
        var arrived = receivedAt ?? DateTimeOffset.UtcNow;
        var claimed = DateTimeOffset.FromUnixTimeSeconds((timestamp ?? arrived).ToUnixTimeSeconds());
        var effective = claimed <= arrived.AddMinutes(3) ? claimed : arrived;
        lock (_gate)
        {
            long seq = _events.Count + 1;
            _events.Add(new JsonObject
            {
                ["seq"] = seq,
                ["type"] = "inbound",
                ["receivedAt"] = Iso(arrived),
                ["messageId"] = "wamid.in" + seq,
                ["from"] = from,
                ["timestamp"] = Iso(claimed),
                ["effectiveAt"] = Iso(effective),
                ["messageType"] = button is null ? "text" : "interactive",
                ["text"] = text,
                ["buttonText"] = button,
                ["replyToMessageId"] = replyTo,
                ["raw"] = "{}",
            });
            Wake();
            return seq;
        }
    }

    /// <summary>Stores a status of a sent message.</summary>
    public long SentStatus(string messageId, string status)
    {
        lock (_gate)
        {
            long seq = _events.Count + 1;
            var now = DateTimeOffset.UtcNow;
            _events.Add(new JsonObject
            {
                ["seq"] = seq, ["type"] = "status", ["receivedAt"] = Iso(now), ["messageId"] = messageId, ["status"] = status,
                ["timestamp"] = Iso(now), ["effectiveAt"] = Iso(now), ["raw"] = "{}",
            });
            Wake();
            return seq;
        }
    }

    /// <summary>Stores events no wait is about (other customers), to give the store a head.</summary>
    public void Filler(int count)
    {
        for (int i = 0; i < count; i++) Inbound("4479460" + (i % 1000).ToString("D5", CultureInfo.InvariantCulture), "noise", DateTimeOffset.UtcNow.AddDays(-1));
    }

    /// <summary>A reader's lease, as another process would hold it.</summary>
    public void Lease(string consumer, string holder, string description, long position = 0)
    {
        lock (_gate)
            _consumers[consumer] = new JsonObject
            {
                ["name"] = consumer, ["position"] = position, ["updatedAt"] = Iso(DateTimeOffset.UtcNow),
                ["holder"] = holder, ["description"] = description, ["leaseUntil"] = Iso(DateTimeOffset.UtcNow.AddMinutes(1)),
            };
    }

    public JsonObject? Consumer(string name)
    {
        lock (_gate) return _consumers.TryGetValue(name, out var c) ? (JsonObject)c.DeepClone() : null;
    }

    private void Wake()
    {
        var fired = _added;
        _added = new(TaskCreationOptions.RunContinuationsAsynchronously);
        fired.TrySetResult();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_gate) Requests.Add(request.Method.Method + " " + request.RequestUri!.PathAndQuery);
        if (Down) throw new HttpRequestException("Connection refused (127.0.0.1:8081)");
        Assert.Equal(Key, request.Headers.GetValues("x-receiver-key").Single());
        if (ForcedStatus is int forced) return Answer((HttpStatusCode)forced, new JsonObject { ["message"] = "Refused.", ["code"] = forced });
        string path = request.RequestUri.AbsolutePath;
        var query = Query(request.RequestUri.Query);
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        if (path == "/healthz")
            lock (_gate) return Answer(HttpStatusCode.OK, new JsonObject { ["status"] = "ok", ["storeReachable"] = true, ["events"] = _events.Count, ["lastSeq"] = _events.Count });
        if (path == "/v1/events") return await EventsAsync(query, cancellationToken);
        if (path == "/v1/status/query") return Answer(HttpStatusCode.OK, new JsonObject { ["statuses"] = new JsonArray() });
        if (path == "/v1/consumers" && request.Method == HttpMethod.Get)
            lock (_gate) return Answer(HttpStatusCode.OK, new JsonObject { ["consumers"] = new JsonArray(_consumers.Values.Select(c => (JsonNode)c.DeepClone()).ToArray()) });
        if (path.StartsWith("/v1/consumers/", StringComparison.Ordinal)) return Consumers(request.Method, path.Split('/'), query, body);
        return Answer(HttpStatusCode.NotFound, null);
    }

    private async Task<HttpResponseMessage> EventsAsync(ILookup<string, string> query, CancellationToken cancellationToken)
    {
        long after = long.Parse(query["after"].SingleOrDefault() ?? "0", CultureInfo.InvariantCulture);
        int limit = int.Parse(query["limit"].SingleOrDefault() ?? "100", CultureInfo.InvariantCulture);
        int waitMs = Math.Min(MaxWaitMs, int.Parse(query["waitMs"].SingleOrDefault() ?? "0", CultureInfo.InvariantCulture));
        if (waitMs > 0 && BusyPolls > 0)
        {
            BusyPolls--;
            TurnedAway++;
            OnTurnedAway?.Invoke();
            var busy = Answer(HttpStatusCode.TooManyRequests, new JsonObject { ["message"] = "256 long polls are waiting on this receiver, as many as it allows (--max-waits): ask again in 1 s.", ["code"] = 429 });
            busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return busy;
        }
        string? type = query["type"].SingleOrDefault();
        var numbers = query["customerNumber"].ToList();
        if (Older && numbers.Count > 1) numbers = [string.Join(",", numbers)];
        var keys = numbers.Select(n => Older ? n : PhoneNumberNormalizer.Canonical(n)).ToHashSet(StringComparer.Ordinal);
        DateTimeOffset? since = query["since"].SingleOrDefault() is string s ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(s, CultureInfo.InvariantCulture)) : null;
        var deadline = DateTimeOffset.UtcNow.AddMilliseconds(waitMs);
        while (true)
        {
            Task added;
            List<JsonObject> page;
            long head;
            lock (_gate)
            {
                added = _added.Task;
                head = _events.Count;
                page = _events.Where(e => (long)e["seq"]! > after
                        && (type is null || (string)e["type"]! == type)
                        && (keys.Count == 0 || keys.Contains((string?)e["from"] ?? ""))
                        && (since is null || DateTimeOffset.Parse((string)e[Older ? "timestamp" : "effectiveAt"]!, CultureInfo.InvariantCulture) >= since))
                    .Take(limit).Select(e => (JsonObject)e.DeepClone()).ToList();
            }
            var left = deadline - DateTimeOffset.UtcNow;
            if (page.Count == 0 && left > TimeSpan.Zero)
            {
                await Task.WhenAny(added, Task.Delay(left, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                continue;
            }
            if (Older) foreach (var e in page) e.Remove("effectiveAt");
            var answer = new JsonObject { ["events"] = new JsonArray(page.ToArray<JsonNode>()), ["next"] = page.Count > 0 ? (long)page[^1]["seq"]! : after };
            if (!Older) answer["head"] = head;
            return Answer(HttpStatusCode.OK, answer);
        }
    }

    private HttpResponseMessage Consumers(HttpMethod method, string[] parts, ILookup<string, string> query, string? body)
    {
        string name = parts[3];
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            _consumers.TryGetValue(name, out var c);
            bool leased = c?["holder"] is not null && DateTimeOffset.Parse((string)c["leaseUntil"]!, CultureInfo.InvariantCulture) > now;
            JsonObject Busy() => new() { ["message"] = $"The consumer '{name}' is being read by {(string)c!["description"]!} (lease until {(string)c["leaseUntil"]!}).", ["code"] = 409 };
            if (parts.Length == 5 && parts[4] == "lease")
            {
                if (Older) return Answer(HttpStatusCode.NotFound, null);
                if (method == HttpMethod.Delete)
                {
                    if (c != null && (string?)c["holder"] == query["holder"].Single()) { c.Remove("holder"); c.Remove("description"); c.Remove("leaseUntil"); }
                    return Answer(HttpStatusCode.NoContent, null);
                }
                var lease = JsonNode.Parse(body!)!;
                string holder = (string)lease["holder"]!;
                if (leased && (string)c!["holder"]! != holder) return Answer(HttpStatusCode.Conflict, Busy());
                c ??= _consumers[name] = new JsonObject { ["name"] = name, ["position"] = 0, ["updatedAt"] = null };
                c["holder"] = holder;
                c["description"] = (string)lease["description"]!;
                c["leaseUntil"] = Iso(now.AddMilliseconds((long)lease["ttlMs"]!));
                return Answer(HttpStatusCode.OK, (JsonObject)c.DeepClone());
            }
            if (method == HttpMethod.Get) return Answer(HttpStatusCode.OK, (JsonObject?)c?.DeepClone() ?? new JsonObject { ["name"] = name, ["position"] = 0, ["updatedAt"] = null });
            if (method == HttpMethod.Put)
            {
                var set = JsonNode.Parse(body!)!;
                if (leased && (string?)set["holder"] != (string)c!["holder"]!) return Answer(HttpStatusCode.Conflict, Busy());
                c ??= _consumers[name] = new JsonObject { ["name"] = name };
                c["position"] = (long)set["position"]!;
                c["updatedAt"] = Iso(now);
                return Answer(HttpStatusCode.OK, (JsonObject)c.DeepClone());
            }
            if (method == HttpMethod.Delete)
            {
                if (Older) return Answer(HttpStatusCode.MethodNotAllowed, null);
                if (c is null) return Answer(HttpStatusCode.NotFound, new JsonObject { ["message"] = "No such consumer.", ["code"] = 404 });
                if (leased) return Answer(HttpStatusCode.Conflict, Busy());
                _consumers.Remove(name);
                return Answer(HttpStatusCode.NoContent, null);
            }
            return Answer(HttpStatusCode.MethodNotAllowed, null);
        }
    }

    private static ILookup<string, string> Query(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToLookup(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""));

    private static HttpResponseMessage Answer(HttpStatusCode status, JsonObject? body) =>
        new(status) { Content = new StringContent(body?.ToJsonString() ?? "", Encoding.UTF8, "application/json") };

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
