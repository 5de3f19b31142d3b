using System.Text.Json;

namespace Sobot.Emulator;

public static class EmulatorJson
{
    /// <summary>The wire's snake_case names; nulls are kept, as the documented list example shows them.</summary>
    public static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The paginated envelope: 20 per page, absolute next/previous links.</summary>
    public static IResult Page<T>(HttpRequest request, IReadOnlyList<T> all, int page, Func<int, string> linkQuery)
    {
        const int size = 20;
        int pages = Math.Max(1, (all.Count + size - 1) / size);
        if (page < 1 || page > pages)
            return Results.Json(new { message = "Invalid page.", code = 404 }, statusCode: 404);
        string Link(int p) => $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{linkQuery(p)}";
        var body = new
        {
            count = all.Count,
            size,
            next = page < pages ? Link(page + 1) : null,
            previous = page > 1 ? Link(page - 1) : null,
            code = 200,
            data = all.Skip((page - 1) * size).Take(size).ToList(),
        };
        return Results.Json(body, Wire);
    }

    public static IResult Message(string message, int code) => Results.Json(new { message, code }, statusCode: code);

    /// <summary>The 404 for a path the contract does not document.</summary>
    public static IResult NoEndpoint(HttpRequest request) => Message($"No endpoint at {request.Method} {request.Path}.", 404);

    public static int PageNumber(HttpRequest request)
    {
        var text = request.Query["page"].ToString();
        return text.Length == 0 ? 1 : int.TryParse(text, out int p) ? p : -1;
    }
}
