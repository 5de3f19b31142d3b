using Microsoft.Net.Http.Headers;

namespace Sobot.Emulator;

/// <summary>
/// The one place a request is held to the contract before its handler sees it. On every endpoint it turns a
/// <see cref="BadRequestException"/> (an unknown key, a null, a broken limit) into <c>400 {message, code}</c>.
/// On the API endpoints it also refuses what a strict server would: a path that differs from the documented
/// one (ASP.NET routing would let <c>/message</c> reach <c>/message/</c>) is a 404, and a body that is not
/// declared <c>application/json</c> is a 415.
/// </summary>
public sealed class StrictRequestFilter : IEndpointFilter
{
    private readonly bool _contract;

    private StrictRequestFilter(bool contract) => _contract = contract;

    /// <summary>For the documented API: exact path, JSON content type, strict bodies.</summary>
    public static readonly StrictRequestFilter Api = new(contract: true);

    /// <summary>For the <c>/_emulator</c> control endpoints: strict bodies only.</summary>
    public static readonly StrictRequestFilter Control = new(contract: false);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (_contract)
        {
            if (!IsDocumentedPath(http)) return EmulatorJson.NoEndpoint(http.Request);
            if ((HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsPut(http.Request.Method)) && !IsJson(http.Request.ContentType))
                return EmulatorJson.Message($"Content-Type must be application/json; got '{http.Request.ContentType}'.", StatusCodes.Status415UnsupportedMediaType);
        }
        try
        {
            return await next(context);
        }
        catch (BadRequestException ex)
        {
            return EmulatorJson.Message(ex.Message, 400);
        }
    }

    /// <summary>The path has exactly the segments of the route, trailing slash included (or left out) as documented.</summary>
    private static bool IsDocumentedPath(HttpContext http)
    {
        if (http.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } raw }) return true;
        var want = raw.TrimStart('/').Split('/');
        var got = (http.Request.Path.Value ?? "").TrimStart('/').Split('/');
        return want.Length == got.Length
               && want.Zip(got).All(p => p.First.StartsWith('{') ? p.Second.Length > 0 : string.Equals(p.First, p.Second, StringComparison.Ordinal));
    }

    /// <summary><c>application/json</c>, with at most a UTF-8 charset parameter.</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && type.Parameters.All(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)
                                    && p.Value.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
}
