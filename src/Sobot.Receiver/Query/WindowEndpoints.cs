using System.Text.Json;
using Sobot.Client.Validation;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Query;

/// <summary>
/// <c>POST /v1/windows/query</c> with <c>{"customerNumbers":[...]}</c> (at most 1,000): each number's last inbound
/// message by effective time (<see cref="EffectiveTime"/>). The 24 hours are the caller's arithmetic, so a change in WhatsApp's rule needs no
/// new receiver.
/// </summary>
public static class WindowEndpoints
{
    public const int MaxBatch = 1000;
    private const string Shape = "The body must be {\"customerNumbers\":[\"919960123456\", ...]}.";

    public static void Map(RouteGroupBuilder v1) => v1.MapPost("/windows/query", QueryAsync);

    private static async Task<IResult> QueryAsync(HttpContext context, IEventStore store)
    {
        var numbers = new List<string>();
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("customerNumbers", out var array) || array.ValueKind != JsonValueKind.Array)
                return ReceiverJson.Error(400, Shape);
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) return ReceiverJson.Error(400, "customerNumbers holds strings only.");
                if (!QueryArguments.TryString(item, "customerNumbers", out string? value, out string? problem)) return ReceiverJson.Error(400, problem!);
                string text = value!;
                if (PhoneNumberNormalizer.Canonical(text) is not string number) return OptOutEndpoints.BadNumber(text);
                numbers.Add(number);
            }
        }
        catch (JsonException)
        {
            return ReceiverJson.Error(400, "The body is not JSON.");
        }
        if (numbers.Count > MaxBatch) return ReceiverJson.Error(400, $"At most {MaxBatch} numbers per request; send the rest in further requests.");
        return await OptOutEndpoints.Answer(async () =>
        {
            var records = await store.GetLastInboundAsync(numbers, context.RequestAborted);
            return Results.Json(new
            {
                windows = records.Select(r => new { customerNumber = r.CustomerNumber, lastInboundAt = ReceiverJson.Time(r.LastInboundAt), messageId = r.MessageId }),
            }, ReceiverJson.Options);
        });
    }
}
