using Sobot.Client.Validation;
using Sobot.Receiver.Security;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Ingress;

/// <summary>
/// <c>POST /webhook/{token}</c>: the one thing the internet can reach. Wrong token: 404, like any unknown path,
/// nothing read or stored. Right token: the body is read (413 over 3 MB), parsed, and committed with its raw bytes
/// before the 200; when the store cannot commit, 503 and never 200. Bodies that are not JSON, or of shapes we do not
/// know, are stored as unknown events and answered 200: Sobot never retries, so a 4xx would only lose them.
/// </summary>
public static class WebhookEndpoint
{
    public const string Pattern = "/webhook/{token}";

    public static void Map(IEndpointRouteBuilder app, SecretMatcher tokenMatcher)
    {
        // Numbers are keyed through libphonenumber, whose metadata takes a moment to load: loaded now, in the
        // background, the first webhook does not wait for it.
        _ = Task.Run(() => PhoneNumberNormalizer.Canonical("919960123456"));
        // Map (any method) rather than MapPost: a GET on the path must be 404 like everything else, not a 405 that
        // confirms the path exists.
        app.Map(Pattern, (HttpContext context, string token, IEventStore store, TimeProvider clock, ILoggerFactory logs, ReceiverOptions options, RefusalLog refusals) =>
            HandleAsync(context, token, tokenMatcher, store, clock, logs, options.ConsentWords, refusals)).WithMetadata(ListenerScope.IngressOnly);
    }

    private static async Task HandleAsync(HttpContext context, string token, SecretMatcher tokenMatcher, IEventStore store, TimeProvider clock, ILoggerFactory logs,
        ConsentWords words, RefusalLog refusals)
    {
        var log = logs.CreateLogger(typeof(WebhookEndpoint).FullName!);
        // Counted, not logged one by one (RefusalLog); the presented token never: a near miss would hint at the real one.
        var refused = !HttpMethods.IsPost(context.Request.Method) ? Refusal.WrongMethod : !tokenMatcher.Matches(token) ? Refusal.WrongToken : (Refusal?)null;
        if (refused is Refusal kind)
        {
            refusals.Count(kind, context.Connection.RemoteIpAddress);
            await ReceiverJson.WriteErrorAsync(context, 404, "Not found.");
            return;
        }
        byte[]? body;
        try
        {
            body = await BoundedBodyReader.ReadAsync(context.Request, BoundedBodyReader.MaxBodyBytes, context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException || ex is OperationCanceledException)
        {
            // The sender hung up before the body was complete: nothing to store, and nobody to answer.
            log.LogWarning("Webhook body incomplete: the connection from {RemoteAddress} closed while it was being read", context.Connection.RemoteIpAddress);
            return;
        }
        if (body == null)
        {
            refusals.Count(Refusal.TooLarge, context.Connection.RemoteIpAddress);
            await ReceiverJson.WriteErrorAsync(context, 413, $"The body is over {BoundedBodyReader.MaxBodyBytes} bytes.");
            return;
        }
        var events = WebhookEventMapper.Map(body, words);
        AppendResult result;
        try
        {
            // The request's cancellation is not passed on: once the body is in hand, it is stored even if Sobot hangs up.
            result = await store.AppendAsync(new WebhookDelivery(body, events, clock.GetUtcNow(), context.Connection.RemoteIpAddress?.ToString()));
        }
        catch (StoreUnavailableException ex)
        {
            log.LogError(ex, "Webhook not stored: {Reason}", ex.Message);
            await ReceiverJson.WriteErrorAsync(context, 503, "The event store is unavailable; the webhook was not stored.");
            return;
        }
        log.LogDebug("Webhook stored: {Bytes} bytes, {Stored} new events, {Duplicates} duplicates", body.Length, result.Stored, result.Duplicates);
        context.Response.StatusCode = 200;
        await context.Response.WriteAsJsonAsync(new { code = 200, stored = result.Stored, duplicates = result.Duplicates }, ReceiverJson.Options);
    }
}
