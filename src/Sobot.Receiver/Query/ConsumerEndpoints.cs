using System.Text.Json;
using System.Text.RegularExpressions;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Query;

/// <summary>
/// Named cursors, so a script run every five minutes picks up where the last run finished, with one reader per
/// consumer at a time:
/// <c>GET /v1/consumers</c>, <c>GET /v1/consumers/{name}</c> (a consumer never set stands at 0),
/// <c>PUT /v1/consumers/{name}</c> with <c>{"position": seq, "holder": id}</c>, <c>DELETE /v1/consumers/{name}</c>,
/// <c>POST /v1/consumers/{name}/lease</c> with <c>{"holder","description","ttlMs"}</c> and
/// <c>DELETE /v1/consumers/{name}/lease?holder=id</c>. A write another reader's live lease forbids is 409, naming who.
/// </summary>
public static partial class ConsumerEndpoints
{
    public const int MaxTextLength = 200;
    public const long DefaultTtlMs = 60_000, MinTtlMs = 1_000, MaxTtlMs = 3_600_000;

    private const string PositionShape = "The body must be {\"position\": <seq, a whole number >= 0>} with an optional \"holder\" (the lease holder's id, at most 200 characters).";
    private const string LeaseShape = "The body must be {\"holder\":\"<id, 1 to 200 characters>\",\"description\":\"<who, at most 200 characters>\",\"ttlMs\":<1000 to 3600000>}.";

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/consumers", ListAsync);
        v1.MapGet("/consumers/{name}", GetAsync);
        v1.MapPut("/consumers/{name}", PutAsync);
        v1.MapDelete("/consumers/{name}", DeleteAsync);
        v1.MapPost("/consumers/{name}/lease", LeaseAsync);
        v1.MapDelete("/consumers/{name}/lease", ReleaseAsync);
    }

    private static Task<IResult> ListAsync(IEventStore store, CancellationToken cancellationToken) =>
        Answer(async () => Results.Json(new { consumers = (await store.ListConsumersAsync(cancellationToken)).Select(ToWire) }, ReceiverJson.Options));

    private static Task<IResult> GetAsync(string name, IEventStore store, CancellationToken cancellationToken) =>
        WithName(name, async () => Results.Json(ToWire(await store.GetConsumerAsync(name, cancellationToken) ?? new ConsumerPosition(name, 0, null)), ReceiverJson.Options));

    private static async Task<IResult> PutAsync(string name, HttpContext context, IEventStore store)
    {
        long position = 0;
        string? holder = null;
        var body = await ReadObjectAsync(context);
        if (body is not { } b || !b.TryGetProperty("position", out var p) || !p.TryGetInt64(out position) || position < 0
            || !OptionalText(b, "holder", out holder) || holder?.Length is 0)
            return ReceiverJson.Error(400, PositionShape);
        return await WithName(name, async () => Results.Json(ToWire(await store.SetConsumerAsync(name, position, holder)), ReceiverJson.Options));
    }

    private static Task<IResult> DeleteAsync(string name, HttpContext context, IEventStore store) =>
        WithName(name, async () => Results.Json(new { removed = await store.DeleteConsumerAsync(name, Holder(context)) }, ReceiverJson.Options));

    private static async Task<IResult> LeaseAsync(string name, HttpContext context, IEventStore store)
    {
        var body = await ReadObjectAsync(context);
        long ttlMs = DefaultTtlMs;
        if (body is not { } b || !OptionalText(b, "holder", out var holder) || string.IsNullOrEmpty(holder) || !OptionalText(b, "description", out var description)
            || (b.TryGetProperty("ttlMs", out var ttl) && (!ttl.TryGetInt64(out ttlMs) || ttlMs < MinTtlMs || ttlMs > MaxTtlMs)))
            return ReceiverJson.Error(400, LeaseShape);
        return await WithName(name, async () => Results.Json(
            ToWire(await store.LeaseConsumerAsync(name, holder, string.IsNullOrEmpty(description) ? holder : description, TimeSpan.FromMilliseconds(ttlMs))),
            ReceiverJson.Options));
    }

    private static Task<IResult> ReleaseAsync(string name, HttpContext context, IEventStore store) =>
        Holder(context) is not string holder
            ? Task.FromResult(ReceiverJson.Error(400, "Say whose lease to give up: ?holder=<id>."))
            : WithName(name, async () =>
            {
                await store.ReleaseConsumerAsync(name, holder);
                return Results.NoContent();
            });

    /// <summary>A valid name, then the store's answer: 409 for a refusal by another reader's lease, 503 when the store cannot answer.</summary>
    private static async Task<IResult> WithName(string name, Func<Task<IResult>> answer)
    {
        if (!ValidName().IsMatch(name))
            return ReceiverJson.Error(400, $"A consumer name is 1 to 100 letters, digits, '.', '_' or '-'; got '{name}'.");
        return await Answer(answer);
    }

    private static async Task<IResult> Answer(Func<Task<IResult>> answer)
    {
        try
        {
            return await OptOutEndpoints.Answer(answer);
        }
        catch (ConsumerLeasedException ex)
        {
            // The holder id stays out: it is what renews the lease, and the one refused has no business with it.
            return Results.Json(new { message = ex.Message, code = 409, description = ex.Lease.Description, leaseUntil = ReceiverJson.Time(ex.Lease.Until) },
                ReceiverJson.Options, statusCode: 409);
        }
    }

    private static string? Holder(HttpContext context) => context.Request.Query["holder"] is { Count: > 0 } h && !string.IsNullOrEmpty(h[0]) ? h[0] : null;

    /// <summary>The body as a JSON object, or null when it is not one.</summary>
    private static async Task<JsonElement?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return body.RootElement.ValueKind == JsonValueKind.Object ? body.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string property of at most <see cref="MaxTextLength"/> characters, or absent (null); false for anything else (a control character included).</summary>
    private static bool OptionalText(JsonElement body, string name, out string? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null) return true;
        if (property.ValueKind != JsonValueKind.String || !QueryArguments.TryString(property, name, out value, out _)) return false;
        return value!.Length <= MaxTextLength;
    }

    /// <summary>name, position, updatedAt; and holder, description, leaseUntil only while a reader holds it.</summary>
    private static Dictionary<string, object?> ToWire(ConsumerPosition c)
    {
        var wire = new Dictionary<string, object?> { ["name"] = c.Name, ["position"] = c.Position, ["updatedAt"] = ReceiverJson.Time(c.UpdatedAt) };
        if (c.Lease is { } lease)
        {
            wire["holder"] = lease.Holder;
            wire["description"] = lease.Description;
            wire["leaseUntil"] = ReceiverJson.Time(lease.Until);
        }
        return wire;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex ValidName();
}
