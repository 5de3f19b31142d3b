using System.Globalization;
using System.Text.Json;

namespace Sobot.Receiver.Query;

/// <summary>Reads query-string values, and says in one sentence what is wrong with a bad one (the 400 message).</summary>
public static class QueryArguments
{
    /// <summary>
    /// The query API's endpoint filter: a query-string or route value holding a character no store keeps as text is a
    /// 400 before any endpoint runs, the same on every store (PostgreSQL's text cannot hold NUL, and Npgsql's refusal
    /// used to surface as a 503 that sent callers into retrying).
    /// </summary>
    public static async ValueTask<object?> RefuseUnreadableText(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var request = invocation.HttpContext.Request;
        foreach (var (name, values) in request.Query)
            foreach (string? value in values)
                if (TextProblem(value, name) is string problem) return ReceiverJson.Error(400, problem);
        foreach (var (name, value) in request.RouteValues)
            if (value is string text && TextProblem(text, name) is string problem) return ReceiverJson.Error(400, problem);
        return await next(invocation);
    }

    /// <summary>
    /// A JSON string of a request body, held to the same rule as query values; false with the 400 message when it breaks
    /// it. An escaped lone surrogate (<c>"\ud800"</c>), which System.Text.Json will not even return as a string, is refused too.
    /// </summary>
    public static bool TryString(JsonElement element, string name, out string? value, out string? problem)
    {
        value = null;
        try
        {
            value = element.GetString();
        }
        catch (InvalidOperationException)
        {
            problem = $"{name} holds an unpaired surrogate: control characters and unpaired surrogates are refused.";
            return false;
        }
        problem = TextProblem(value, name);
        return problem is null;
    }

    /// <summary>
    /// Why <paramref name="text"/> cannot be a value of <paramref name="name"/>: it holds a control character (NUL
    /// included) or half of a surrogate pair; null when it is fine. The message shows where, never the character itself.
    /// </summary>
    public static string? TextProblem(string? text, string name)
    {
        if (text is null) return null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool paired = char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) : !char.IsLowSurrogate(c) || (i > 0 && char.IsHighSurrogate(text[i - 1]));
            if (char.IsControl(c) || !paired)
                return $"{name} holds a character that is not allowed (U+{(int)c:X4} at position {i + 1}): control characters and unpaired surrogates are refused.";
        }
        return null;
    }

    public static bool TryLong(string? text, string name, long min, long max, long fallback, out long value, out string? problem)
    {
        problem = null;
        value = fallback;
        if (string.IsNullOrEmpty(text)) return true;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max) return true;
        problem = $"{name} takes a whole number from {min} to {max}; got '{text}'.";
        return false;
    }

    /// <summary>Unix seconds (a plain number) or an ISO 8601 date and time (without an offset: UTC).</summary>
    public static bool TryTime(string? text, out DateTimeOffset? value, out string? problem)
    {
        problem = null;
        value = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long seconds) && seconds >= 0 && seconds <= 253402300799L)
        {
            value = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            value = time;
            return true;
        }
        problem = $"since takes unix seconds or an ISO 8601 time; got '{text}'.";
        return false;
    }
}
