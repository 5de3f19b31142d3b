using Sobot.Receiver.Store;

namespace Sobot.Receiver;

/// <summary>
/// <c>GET /healthz</c> on both listeners, without a key (load balancers and systemd checks have none): whether the
/// store answers, how many events it holds, when the last arrived. Never a secret, a URL or an event's content.
/// </summary>
public static class HealthEndpoint
{
    public static void Map(IEndpointRouteBuilder app) => app.Map("/healthz", HandleAsync).WithMetadata(ListenerScope.Everywhere);

    private static async Task<IResult> HandleAsync(HttpContext context, IEventStore store, RefusalLog refusals)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            refusals.Count(Refusal.WrongMethod, context.Connection.RemoteIpAddress);
            return ReceiverJson.Error(404, "Not found.");
        }
        try
        {
            var health = await store.GetHealthAsync(context.RequestAborted);
            return Results.Json(new
            {
                status = "ok",
                storeReachable = true,
                events = health.EventCount,
                lastSeq = health.LastSeq,
                lastEventAt = ReceiverJson.Time(health.LastEventAt),
            }, ReceiverJson.Options);
        }
        catch (StoreUnavailableException)
        {
            return Results.Json(new { status = "unavailable", storeReachable = false }, ReceiverJson.Options, statusCode: 503);
        }
    }
}
