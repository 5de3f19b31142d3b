using System.Diagnostics;

namespace Sobot.Emulator;

/// <summary>
/// Runs before every API endpoint (not the /_emulator control endpoints): the latency knob, the key
/// check, the rate limit and the injected server failures.
/// </summary>
public sealed class ApiGate(RequestDelegate next, EmulatorState state)
{
    private readonly object _bucketGate = new();
    private double _tokens = Math.Max(1, state.Options.RateLimit);
    private readonly Stopwatch _bucketClock = Stopwatch.StartNew();
    private double _lastRefill;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/_emulator"))
        {
            await next(context);
            return;
        }
        state.EnterApi();
        bool rateLimited = false;
        try
        {
            rateLimited = await GateAsync(context);
        }
        finally
        {
            state.LeaveApi(rateLimited);
            state.LogRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Response.StatusCode,
                context.Response.Headers.RetryAfter.Count > 0 ? context.Response.Headers.RetryAfter.ToString() : null,
                context.Request.Headers.UserAgent.Count > 0 ? context.Request.Headers.UserAgent.ToString() : null);
        }
    }

    /// <summary>Answers or passes on one API request; true when the rate limit refused it.</summary>
    private async Task<bool> GateAsync(HttpContext context)
    {
        var options = state.Options;
        if (options.LatencyMs > 0) await Task.Delay(options.LatencyMs, context.RequestAborted);

        if (context.Request.Headers["x-api-key"] != options.AccessKey || context.Request.Headers["x-api-secret"] != options.SecretKey)
        {
            await Respond(context, 401, "Invalid API credentials");
            return false;
        }

        if (options.RateLimit > 0 && !TryTakeToken(out double waitSeconds))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(waitSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Respond(context, 429, "Too many requests");
            return true;
        }

        if ((options.FailRate > 0 && state.Draw() < options.FailRate) || options.FailPaths.Any(p => context.Request.Path.StartsWithSegments(p)))
        {
            // Read the body first, as a server that failed after accepting the request would have.
            await context.Request.Body.CopyToAsync(Stream.Null);
            await Respond(context, 500, "Internal server error");
            return false;
        }

        if (options.DropRate > 0 && state.Draw() < options.DropRate)
        {
            // Process the request in full, then close the connection instead of answering: the client
            // cannot tell whether the message went out.
            var realBody = context.Response.Body;
            context.Response.Body = Stream.Null;
            try { await next(context); }
            finally { context.Response.Body = realBody; }
            context.Abort();
            return false;
        }

        await next(context);
        return false;
    }

    /// <summary>A token bucket holding one second's worth of requests.</summary>
    private bool TryTakeToken(out double waitSeconds)
    {
        double rate = state.Options.RateLimit;
        lock (_bucketGate)
        {
            double now = _bucketClock.Elapsed.TotalSeconds;
            _tokens = Math.Min(Math.Max(1, rate), _tokens + (now - _lastRefill) * rate);
            _lastRefill = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                waitSeconds = 0;
                return true;
            }
            waitSeconds = (1 - _tokens) / rate;
            return false;
        }
    }

    public static Task Respond(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { message, code = status });
    }
}
