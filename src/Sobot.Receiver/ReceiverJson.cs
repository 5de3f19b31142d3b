using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sobot.Receiver;

/// <summary>JSON settings of every response, and the one error shape (the <c>{message, code}</c> Sobot itself uses).</summary>
public static class ReceiverJson
{
    // Relaxed escaping: the responses are JSON for scripts, never HTML, and a raw body full of \u0022 helps nobody.
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Every time on the wire, in the one format the client declares for event fields (UTC, ISO 8601, milliseconds, Z).</summary>
    public static string? Time(DateTimeOffset? value) => Sobot.Client.Webhooks.ReceiverEventFields.FormatTime(value);

    public static IResult Error(int code, string message) => Results.Json(new { message, code }, Options, statusCode: code);

    public static Task WriteErrorAsync(HttpContext context, int code, string message)
    {
        context.Response.StatusCode = code;
        return context.Response.WriteAsJsonAsync(new { message, code }, Options);
    }
}
