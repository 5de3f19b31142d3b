using System.Text.Json;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Query;

/// <summary>
/// The latest status of sent messages (<see cref="Sobot.Client.Webhooks.StatusProgression"/> says which one is latest):
/// <c>GET /v1/status/{messageId}</c> for one, <c>POST /v1/status/query</c> for up to 1,000 at a time.
/// </summary>
public static class StatusEndpoints
{
    public const int MaxBatch = 1000;

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/status/{messageId}", GetOneAsync);
        v1.MapPost("/status/query", QueryAsync);
    }

    private static async Task<IResult> GetOneAsync(string messageId, IEventStore store, CancellationToken cancellationToken)
    {
        try
        {
            var record = await store.GetStatusAsync(messageId, cancellationToken);
            return record == null
                ? ReceiverJson.Error(404, "No status has arrived for that message id.")
                : Results.Json(ToWire(record), ReceiverJson.Options);
        }
        catch (StoreUnavailableException ex)
        {
            return ReceiverJson.Error(503, ex.Message);
        }
    }

    private static async Task<IResult> QueryAsync(HttpContext context, IEventStore store)
    {
        List<string> ids;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (!body.RootElement.TryGetProperty("messageIds", out var array) || array.ValueKind != JsonValueKind.Array)
                return ReceiverJson.Error(400, "The body must be {\"messageIds\":[\"wamid...\", ...]}.");
            ids = [];
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) return ReceiverJson.Error(400, "messageIds holds strings only.");
                if (!QueryArguments.TryString(item, "messageIds", out var id, out var problem)) return ReceiverJson.Error(400, problem!);
                ids.Add(id!);
            }
        }
        catch (JsonException)
        {
            return ReceiverJson.Error(400, "The body is not JSON.");
        }
        if (ids.Count > MaxBatch) return ReceiverJson.Error(400, $"At most {MaxBatch} message ids per request; send the rest in further requests.");
        try
        {
            var records = await store.GetStatusesAsync(ids.Distinct(StringComparer.Ordinal).ToList(), context.RequestAborted);
            return Results.Json(new { statuses = records.Select(ToWire) }, ReceiverJson.Options);
        }
        catch (StoreUnavailableException ex)
        {
            return ReceiverJson.Error(503, ex.Message);
        }
    }

    private static object ToWire(MessageStatusRecord r) => new
    {
        messageId = r.MessageId,
        status = r.Status,
        timestamp = ReceiverJson.Time(r.Timestamp),
        seq = r.Seq,
        recipientId = r.RecipientId,
        errorCode = r.ErrorCode,
        errorTitle = r.ErrorTitle,
        sentAt = ReceiverJson.Time(r.SentAt),
        deliveredAt = ReceiverJson.Time(r.DeliveredAt),
        readAt = ReceiverJson.Time(r.ReadAt),
        failedAt = ReceiverJson.Time(r.FailedAt),
    };
}
