using System.Text.Json.Nodes;

namespace Sobot.Emulator;

/// <summary>
/// <c>/_emulator/</c>: what a test or a user trying a script needs to look behind the API and steer it.
/// GET <c>messages</c> (accepted messages with the outcome drawn for each), <c>customers</c>, <c>requests</c>
/// (the API request log), <c>inbound</c> (customers' messages), <c>stats</c> (counts, status totals,
/// webhook posts and their failures, API requests answered, 429s of the rate limit, the most requests in flight at once),
/// <c>faults</c> (the run-time knobs of <see cref="EmulatorKnobs"/>);
/// POST/PUT <c>faults</c> (change knobs while running), POST <c>keys</c> (rotate the key pair), <c>reset</c>,
/// <c>reply</c> and <c>inbound</c> (a customer's message, see <see cref="CustomerMessages"/>) and
/// <c>templates/{idOrName}/status</c> (Meta's approval or rejection).
/// </summary>
public static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder control)
    {
        control.MapGet("/messages", (EmulatorState state) => Results.Json(state.Messages.Select(m => new
        {
            sequence = m.Sequence,
            received_at = m.ReceivedAt,
            customer_number = m.CustomerNumber,
            customer_name = m.CustomerName,
            kind = m.Kind,
            template_name = m.TemplateName,
            id = m.Id,
            outcome = m.Outcome.ToString().ToLowerInvariant(),
            body = m.Body,
        }), EmulatorJson.Wire));

        // Every stored field of every customer (the public list shows only id, names and mobile).
        control.MapGet("/customers", (EmulatorState state) => Results.Json(state.Customers, EmulatorJson.Wire));

        // The last API requests with their status and Retry-After, oldest first: how the client paced and retried.
        control.MapGet("/requests", (EmulatorState state) => Results.Json(state.Requests, EmulatorJson.Wire));

        // Rotates the keys, as generating a new pair in the portal does: requests with the old pair get 401.
        control.MapPost("/keys", async (HttpRequest request, EmulatorState state) =>
        {
            var b = await StrictBody.ReadAsync(request);
            b.AllowOnly("access_key", "secret_key");
            state.Options.AccessKey = b.Required("access_key");
            state.Options.SecretKey = b.Required("secret_key");
            return EmulatorJson.Message("Keys replaced; the old pair is now rejected.", 200);
        });

        control.MapGet("/faults", (EmulatorState state) => Knobs(state.Options));
        control.MapMethods("/faults", [HttpMethods.Post, HttpMethods.Put], async (HttpRequest request, EmulatorState state) =>
        {
            var b = await StrictBody.ReadAsync(request);
            var changes = b.Json.Select(p => (Knob: EmulatorKnobs.FindRunTimeField(p.Key)
                                                    ?? throw new BadRequestException($"Unknown field '{p.Key}'; the run-time knobs are {string.Join(", ", EmulatorKnobs.All.Where(k => k.AtRunTime).Select(k => k.Field))}."),
                                              p.Value)).ToList();
            // All or nothing: every value is checked on a scratch copy before the running emulator sees any.
            foreach (var (knob, value) in changes) knob.SetFromJson(new EmulatorOptions(), value);
            foreach (var (knob, value) in changes) knob.SetFromJson(state.Options, value);
            return Knobs(state.Options);
        });

        control.MapGet("/stats", (EmulatorState state, WebhookSender webhooks) => Results.Json(new
        {
            messages = state.MessageCount,
            statuses = state.StatusCounts,
            inbound = state.Inbound.Count,
            webhooks_delivered = webhooks.Delivered,
            webhooks_failed = webhooks.Failed,
            webhooks_pending = webhooks.Pending,
            webhook_errors = webhooks.Errors,
            api_requests = state.ApiRequests,
            rate_limited = state.RateLimited,
            in_flight_peak = state.InFlightPeak,
        }, EmulatorJson.Wire));

        control.MapPost("/reset", (EmulatorState state) =>
        {
            state.Reset();
            return EmulatorJson.Message("Emulator reset", 200);
        });

        control.MapPost("/reply", CustomerMessages.Reply);
        control.MapPost("/inbound", CustomerMessages.Inbound);
        control.MapGet("/inbound", CustomerMessages.List);

        control.MapPost("/templates/{idOrName}/status", async (string idOrName, HttpRequest request, EmulatorState state) =>
        {
            var b = await StrictBody.ReadAsync(request);
            b.AllowOnly("status", "rejected_reason");
            if (b.Json["status"] is not JsonValue v || !v.TryGetValue(out int status) || status is < 0 or > 2)
                throw new BadRequestException("Body must be {\"status\": 0|1|2}.");
            var changed = state.SetTemplateStatus(idOrName, status, b.Optional("rejected_reason"));
            return changed.Count == 0
                ? EmulatorJson.Message($"No template '{idOrName}'.", 404)
                : EmulatorJson.Message($"{changed.Count} template(s) set to status {status}.", 200);
        });
    }

    /// <summary>Every run-time knob with its value, and the code.</summary>
    private static IResult Knobs(EmulatorOptions options)
    {
        var body = new JsonObject();
        foreach (var knob in EmulatorKnobs.All.Where(k => k.AtRunTime))
        {
            object? value = knob.Read(options);
            // Any local user can read this endpoint: a secret knob (the webhook URL ends with the receiver's token) is
            // shown with its last segment masked, as the log shows it.
            if (knob.Secret && value is string { Length: > 0 } text) value = WebhookSender.Shown(text);
            body[knob.Field] = System.Text.Json.JsonSerializer.SerializeToNode(value, EmulatorJson.Wire);
        }
        body["code"] = 200;
        return Results.Json(body, EmulatorJson.Wire);
    }
}
