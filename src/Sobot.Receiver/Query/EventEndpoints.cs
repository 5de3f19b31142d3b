using System.Text.Json;
using Sobot.Client.Receiver;
using Sobot.Client.Validation;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Query;

/// <summary>
/// <c>GET /v1/events</c>: events after a cursor, oldest first, with filters, and long polling: with
/// <c>waitMs</c>, a request that finds nothing waits until a matching event is committed (woken by
/// <see cref="LongPolls"/>, not by polling) and answers then, or empty when the wait is over; beyond
/// <c>--max-waits</c> waiting polls it is answered 429 with <c>Retry-After</c>. Every page says <c>head</c>, the
/// highest seq committed when the request was read, so a caller can long-poll from there.
/// </summary>
public static class EventEndpoints
{
    public const int MaxWaitMs = 30_000;

    /// <summary>The longest request line the receiver accepts: a query naming 1,000 numbers fits with room to spare.</summary>
    public const int MaxRequestLineBytes = 64 * 1024;

    public static void Map(RouteGroupBuilder v1) => v1.MapGet("/events", GetEventsAsync);

    private static async Task GetEventsAsync(HttpContext context, IEventStore store, TimeProvider clock, IHostApplicationLifetime lifetime, LongPolls polls, RefusalLog refusals)
    {
        var q = context.Request.Query;
        if (!QueryArguments.TryLong(q["after"], "after", 0, long.MaxValue, 0, out long after, out var problem)
            || !QueryArguments.TryLong(q["limit"], "limit", 1, EventQuery.MaxLimit, 100, out long limit, out problem)
            || !QueryArguments.TryLong(q["waitMs"], "waitMs", 0, MaxWaitMs, 0, out long waitMs, out problem)
            || !QueryArguments.TryTime(q["since"], out var since, out problem))
        {
            await ReceiverJson.WriteErrorAsync(context, 400, problem!);
            return;
        }
        EventKind? kind = null;
        string? type = q["type"];
        if (!string.IsNullOrEmpty(type))
        {
            if (!EventKindNames.TryParse(type, out var k))
            {
                await ReceiverJson.WriteErrorAsync(context, 400, $"type takes inbound, status or unknown; got '{type}'.");
                return;
            }
            kind = k;
        }
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var field in ReceiverQueryFields.All)
        {
            // A field that takes one value reads the parameter as given (repeated, its values joined by commas, as ever).
            var given = field.Many
                ? q[field.Name].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList()
                : NullIfEmpty(q[field.Name]) is string one ? [one] : new List<string>();
            if (given.Count > ReceiverQueryFields.MaxValues)
            {
                await ReceiverJson.WriteErrorAsync(context, 400, $"{field.Name} may be given at most {ReceiverQueryFields.MaxValues} times; got {given.Count}.");
                return;
            }
            var normalised = new List<string>(given.Count);
            foreach (string text in given)
            {
                if (field.Normalise(text) is not string value)
                {
                    await ReceiverJson.WriteErrorAsync(context, 400, field.Name + " " + field.Refusal(text));
                    return;
                }
                normalised.Add(value);
            }
            if (normalised.Count > 0) values[field.Name] = normalised.Distinct(StringComparer.Ordinal).ToList();
        }
        var query = new EventQuery
        {
            After = after,
            Kind = kind,
            Values = values,
            Since = since,
            Limit = (int)limit,
        };

        // A place among the waiting polls is taken before the store is touched, so a poll turned away costs nothing.
        using var poll = waitMs > 0 ? polls.TryEnter() : null;
        if (waitMs > 0 && poll is null)
        {
            refusals.Count(Refusal.TooManyWaits, context.Connection.RemoteIpAddress);
            context.Response.Headers.RetryAfter = LongPolls.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ReceiverJson.WriteErrorAsync(context, 429,
                $"{polls.Max} long polls are waiting on this receiver, as many as it allows (--max-waits): ask again in {LongPolls.RetryAfterSeconds} s, or read without waitMs.");
            return;
        }
        var deadline = clock.GetTimestamp() + (long)(waitMs * (clock.TimestampFrequency / 1000.0));
        // A shutdown ends waits at once (answered empty; the caller asks again after the restart), so a stop is not
        // held up for the length of the longest poll.
        using var waitEnds = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        IReadOnlyList<StoredEvent> events;
        long head;
        try
        {
            // Before the first read: every event at or below it is in what that read sees.
            head = await store.GetHeadAsync(context.RequestAborted);
            // Watched from before the first read, so an event committed after it wakes the poll (LongPolls says why).
            poll?.Watch(query, head);
            while (true)
            {
                // Taken before the read: a match committed between the read and the wait still wakes this request.
                var woken = poll?.Woken.NextCommit;
                events = await store.ReadEventsAsync(query, context.RequestAborted);
                var left = clock.GetElapsedTime(clock.GetTimestamp(), deadline);
                if (events.Count > 0 || left <= TimeSpan.Zero || woken is null) break;
                try
                {
                    await woken.WaitAsync(left, clock, waitEnds.Token);
                }
                catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && lifetime.ApplicationStopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested))
                {
                    // One last read: the wait is over, but an event may have landed at the last moment.
                    events = await store.ReadEventsAsync(query, context.RequestAborted);
                    break;
                }
            }
        }
        catch (StoreUnavailableException ex)
        {
            await ReceiverJson.WriteErrorAsync(context, 503, ex.Message);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, ReceiverJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("events");
        foreach (var e in events)
        {
            Write(writer, e);
            // Stream large pages out instead of holding a thousand raw bodies in memory at once.
            if (writer.BytesPending > 64 * 1024) await writer.FlushAsync(context.RequestAborted);
        }
        writer.WriteEndArray();
        writer.WriteNumber("next", events.Count > 0 ? events[^1].Seq : after);
        writer.WriteNumber("head", head);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>seq, type, receivedAt and effectiveAt, then the event's parsed fields, then its raw JSON as a string.</summary>
    public static void Write(Utf8JsonWriter writer, StoredEvent e)
    {
        writer.WriteStartObject();
        writer.WriteNumber("seq", e.Seq);
        writer.WriteString("type", e.Kind.ToName());
        writer.WriteString("receivedAt", ReceiverJson.Time(e.ReceivedAt));
        writer.WriteString("effectiveAt", ReceiverJson.Time(e.EffectiveAt));
        using (var fields = JsonDocument.Parse(e.FieldsJson))
            foreach (var property in fields.RootElement.EnumerateObject()) property.WriteTo(writer);
        writer.WriteString("raw", e.RawText);
        writer.WriteEndObject();
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
