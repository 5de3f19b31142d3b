using System.Text.Json;
using Sobot.Client.Validation;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Query;

/// <summary>
/// The suppression list: <c>GET /v1/optouts</c>, <c>GET /v1/optouts/{number}</c> (404 when not on it),
/// <c>PUT /v1/optouts/{number}</c> with <c>{"source":"manual:..."}</c> (since = now; a number already on the list
/// keeps its record), <c>DELETE /v1/optouts/{number}</c> answering <c>{"removed":true|false}</c>.
/// </summary>
public static class OptOutEndpoints
{
    public const int MaxSourceLength = 200;
    private const string SourceShape = "The body must be {\"source\":\"manual:<who or why>\"} (at most 200 characters).";

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/optouts", ListAsync);
        v1.MapGet("/optouts/{number}", GetAsync);
        v1.MapPut("/optouts/{number}", PutAsync);
        v1.MapDelete("/optouts/{number}", DeleteAsync);
    }

    private static Task<IResult> ListAsync(IEventStore store, CancellationToken cancellationToken) =>
        Answer(async () => Results.Json(new { optOuts = (await store.ListOptOutsAsync(cancellationToken)).Select(ToWire) }, ReceiverJson.Options));

    private static Task<IResult> GetAsync(string number, IEventStore store, CancellationToken cancellationToken) =>
        WithNumber(number, async n => await store.GetOptOutAsync(n, cancellationToken) is OptOutRecord record
            ? Results.Json(ToWire(record), ReceiverJson.Options)
            : ReceiverJson.Error(404, "That number is not on the opt-out list."));

    private static async Task<IResult> PutAsync(string number, HttpContext context, IEventStore store, TimeProvider clock)
    {
        string? source = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String
                && !QueryArguments.TryString(s, "source", out source, out var problem))
                return ReceiverJson.Error(400, problem!);
        }
        catch (JsonException)
        {
            return ReceiverJson.Error(400, SourceShape);
        }
        // inbound:<wamid> is reserved for the customer's own stop message, so a record always says truthfully who acted.
        if (source == null || !source.StartsWith("manual:", StringComparison.Ordinal) || source.Length > MaxSourceLength)
            return ReceiverJson.Error(400, SourceShape);
        return await WithNumber(number, async n =>
            Results.Json(ToWire(await store.AddOptOutAsync(n, source, clock.GetUtcNow())), ReceiverJson.Options));
    }

    private static Task<IResult> DeleteAsync(string number, IEventStore store) =>
        WithNumber(number, async n => Results.Json(new { removed = await store.RemoveOptOutAsync(n) }, ReceiverJson.Options));

    private static Task<IResult> WithNumber(string number, Func<string, Task<IResult>> answer) =>
        PhoneNumberNormalizer.Canonical(number) is string n ? Answer(() => answer(n)) : Task.FromResult(BadNumber(number));

    /// <summary>The store's failures as the API's 503, like every other route.</summary>
    public static async Task<IResult> Answer(Func<Task<IResult>> answer)
    {
        try
        {
            return await answer();
        }
        catch (StoreUnavailableException ex)
        {
            return ReceiverJson.Error(503, ex.Message);
        }
    }

    public static IResult BadNumber(string number) => ReceiverJson.Error(400, NumberKey.NotANumber(number));

    private static object ToWire(OptOutRecord r) => new { customerNumber = r.CustomerNumber, since = ReceiverJson.Time(r.Since), source = r.Source };
}
