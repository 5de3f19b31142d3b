using System.Text.Json.Nodes;

namespace Sobot.Emulator;

/// <summary>
/// <c>/_emulator/</c>: what a test or a user trying a script needs to look behind the API: the accepted
/// messages, a reset, an inbound message that opens a 24-hour window, a template's approval.
/// </summary>
public static class ControlEndpoints
{
    public static void Map(WebApplication app)
    {
        var control = app.MapGroup("/_emulator");
        control.MapGet("/messages", (EmulatorState state) => Results.Json(state.Messages.Select(m => new
        {
            sequence = m.Sequence,
            received_at = m.ReceivedAt,
            customer_number = m.CustomerNumber,
            customer_name = m.CustomerName,
            kind = m.Kind,
            template_name = m.TemplateName,
            id = m.Id,
            body = m.Body,
        }), EmulatorJson.Wire));

        // Every stored field of every customer (the public list shows only id, names and mobile).
        control.MapGet("/customers", (EmulatorState state) => Results.Json(state.Customers, EmulatorJson.Wire));

        // The last API requests with their status and Retry-After, oldest first: how the client paced and retried.
        control.MapGet("/requests", (EmulatorState state) => Results.Json(state.Requests, EmulatorJson.Wire));

        // Rotates the keys, as generating a new pair in the portal does: requests with the old pair get 401.
        control.MapPost("/keys", async (HttpRequest request, EmulatorState state) =>
        {
            try
            {
                var b = await StrictBody.ReadAsync(request);
                b.AllowOnly("access_key", "secret_key");
                state.Options.AccessKey = b.Required("access_key");
                state.Options.SecretKey = b.Required("secret_key");
                return EmulatorJson.Message("Keys replaced; the old pair is now rejected.", 200);
            }
            catch (BadRequestException ex)
            {
                return EmulatorJson.Message(ex.Message, 400);
            }
        });

        // Changes the fault and speed knobs of a running emulator: {"latency_ms", "rate_limit", "fail_rate", "drop_rate"}.
        control.MapPost("/faults", async (HttpRequest request, EmulatorState state) =>
        {
            try
            {
                var b = await StrictBody.ReadAsync(request);
                b.AllowOnly("latency_ms", "rate_limit", "fail_rate", "drop_rate", "fail_paths");
                double? Number(string name, double max)
                {
                    if (!b.Has(name)) return null;
                    if (b.Json[name] is not JsonValue v || !v.TryGetValue(out double d) || d < 0 || d > max)
                        throw new BadRequestException($"Field '{name}' must be a number from 0 to {max}.");
                    return d;
                }
                var o = state.Options;
                o.LatencyMs = (int)(Number("latency_ms", 600_000) ?? o.LatencyMs);
                o.RateLimit = Number("rate_limit", 1_000_000) ?? o.RateLimit;
                o.FailRate = Number("fail_rate", 1) ?? o.FailRate;
                o.DropRate = Number("drop_rate", 1) ?? o.DropRate;
                if (b.Has("fail_paths")) o.FailPaths = b.Strings("fail_paths", 0, 100, 200).Select(p => "/" + p.Trim('/')).ToList();
                return Results.Json(new { latency_ms = o.LatencyMs, rate_limit = o.RateLimit, fail_rate = o.FailRate, drop_rate = o.DropRate, fail_paths = o.FailPaths, code = 200 });
            }
            catch (BadRequestException ex)
            {
                return EmulatorJson.Message(ex.Message, 400);
            }
        });

        control.MapGet("/stats", (EmulatorState state, WebhookSender webhooks) => Results.Json(new
        {
            messages = state.MessageCount,
            webhooks_delivered = webhooks.Delivered,
            webhooks_failed = webhooks.Failed,
        }));

        control.MapPost("/reset", (EmulatorState state) =>
        {
            state.Reset();
            return EmulatorJson.Message("Emulator reset", 200);
        });

        control.MapPost("/inbound", async (HttpRequest request, EmulatorState state, WebhookSender webhooks) =>
        {
            try
            {
                var b = await StrictBody.ReadAsync(request);
                b.AllowOnly("from", "name", "text");
                var from = b.Required("from");
                if (!StrictBody.IsMobile(from)) return EmulatorJson.Message("Invalid mobile number", 400);
                var name = b.Optional("name");
                var text = b.Optional("text") ?? "Hi";
                state.RecordInbound(from);
                webhooks.Inbound(state.Options.BusinessNumber, from, name, "wamid.in" + Guid.NewGuid().ToString("N"), text, state.Clock.GetUtcNow());
                return EmulatorJson.Message($"Inbound message recorded; the 24-hour window for {from} is open.", 200);
            }
            catch (BadRequestException ex)
            {
                return EmulatorJson.Message(ex.Message, 400);
            }
        });

        control.MapPost("/templates/{idOrName}/status", async (string idOrName, HttpRequest request, EmulatorState state) =>
        {
            JsonNode? body = await JsonNode.ParseAsync(request.Body);
            if (body?["status"] is not JsonValue v || !v.TryGetValue(out int status) || status is < 0 or > 2)
                return EmulatorJson.Message("Body must be {\"status\": 0|1|2}.", 400);
            var changed = state.SetTemplateStatus(idOrName, status, body["rejected_reason"]?.GetValue<string>());
            return changed.Count == 0
                ? EmulatorJson.Message($"No template '{idOrName}'.", 404)
                : EmulatorJson.Message($"{changed.Count} template(s) set to status {status}.", 200);
        });
    }
}
