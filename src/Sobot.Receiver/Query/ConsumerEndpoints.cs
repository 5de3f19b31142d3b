using System.Text.Json;
using System.Text.RegularExpressions;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Query;

/// <summary>
/// Named cursors, so a script run every five minutes picks up where the last run finished:
/// <c>GET /v1/consumers</c>, <c>GET /v1/consumers/{name}</c> (a consumer never set stands at 0),
/// <c>PUT /v1/consumers/{name}</c> with <c>{"position": seq}</c>.
/// </summary>
public static partial class ConsumerEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/consumers", ListAsync);
        v1.MapGet("/consumers/{name}", GetAsync);
        v1.MapPut("/consumers/{name}", PutAsync);
    }

    private static async Task<IResult> ListAsync(IEventStore store, CancellationToken cancellationToken)
    {
        try
        {
            var consumers = await store.ListConsumersAsync(cancellationToken);
            return Results.Json(new { consumers = consumers.Select(ToWire) }, ReceiverJson.Options);
        }
        catch (StoreUnavailableException ex)
        {
            return ReceiverJson.Error(503, ex.Message);
        }
    }

    private static async Task<IResult> GetAsync(string name, IEventStore store, CancellationToken cancellationToken)
    {
        if (!ValidName().IsMatch(name)) return BadName(name);
        try
        {
            var consumer = await store.GetConsumerAsync(name, cancellationToken) ?? new ConsumerPosition(name, 0, null);
            return Results.Json(ToWire(consumer), ReceiverJson.Options);
        }
        catch (StoreUnavailableException ex)
        {
            return ReceiverJson.Error(503, ex.Message);
        }
    }

    private static async Task<IResult> PutAsync(string name, HttpContext context, IEventStore store)
    {
        if (!ValidName().IsMatch(name)) return BadName(name);
        long position;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (!body.RootElement.TryGetProperty("position", out var p) || !p.TryGetInt64(out position) || position < 0)
                return ReceiverJson.Error(400, "The body must be {\"position\": <seq, a whole number >= 0>}.");
        }
        catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
        {
            return ReceiverJson.Error(400, "The body must be {\"position\": <seq, a whole number >= 0>}.");
        }
        try
        {
            return Results.Json(ToWire(await store.SetConsumerAsync(name, position)), ReceiverJson.Options);
        }
        catch (StoreUnavailableException ex)
        {
            return ReceiverJson.Error(503, ex.Message);
        }
    }

    private static IResult BadName(string name) =>
        ReceiverJson.Error(400, $"A consumer name is 1 to 100 letters, digits, '.', '_' or '-'; got '{name}'.");

    private static object ToWire(ConsumerPosition c) => new { name = c.Name, position = c.Position, updatedAt = ReceiverJson.Time(c.UpdatedAt) };

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex ValidName();
}
