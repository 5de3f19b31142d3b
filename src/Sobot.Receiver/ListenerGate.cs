using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Sobot.Receiver.Security;

namespace Sobot.Receiver;

/// <summary>
/// Keeps each listener to its own endpoints. On the ingress: the allow-list first (403), then anything that is not
/// an ingress endpoint is 404, so the internet sees nothing but the webhook path. On the query listener: the query
/// key (401) for every endpoint that needs it.
/// </summary>
public sealed class ListenerGate
{
    /// <summary>Key of the connection item that <see cref="ReceiverHost"/> sets on every accepted connection.</summary>
    public const string RoleItem = "Sobot.Receiver.ListenerRole";
    public const string QueryKeyHeader = "x-receiver-key";

    private readonly RequestDelegate _next;
    private readonly SecretMatcher _queryKey;
    private readonly IReadOnlyList<IPNetwork> _allowIp;
    private readonly RefusalLog _refusals;

    public ListenerGate(RequestDelegate next, SecretMatcher queryKey, ReceiverOptions options, RefusalLog refusals)
    {
        _next = next;
        _queryKey = queryKey;
        _allowIp = options.AllowIp;
        _refusals = refusals;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var role = RoleOf(context);
        if (role == ListenerRole.Ingress && _allowIp.Count > 0 && !IsAllowed(context.Connection.RemoteIpAddress))
            return Refuse(context, Refusal.NotAllowed, 403, "Forbidden.");
        var scope = context.GetEndpoint()?.Metadata.GetMetadata<ListenerScope>();
        if (scope == null || !scope.Allows(role))
            return Refuse(context, Refusal.UnknownPath, 404, "Not found.");
        if (scope.NeedsQueryKey && !_queryKey.Matches(context.Request.Headers[QueryKeyHeader].FirstOrDefault()))
            return Refuse(context, Refusal.WrongQueryKey, 401, $"Missing or wrong {QueryKeyHeader} header.");
        return _next(context);
    }

    private Task Refuse(HttpContext context, Refusal kind, int status, string message)
    {
        _refusals.Count(kind, context.Connection.RemoteIpAddress);
        return ReceiverJson.WriteErrorAsync(context, status, message);
    }

    /// <summary>A connection without the tag (a test server, say) is treated as the ingress: the least trusted.</summary>
    private static ListenerRole RoleOf(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(RoleItem, out var role) == true && role is ListenerRole r ? r : ListenerRole.Ingress;

    private bool IsAllowed(IPAddress? address)
    {
        if (address == null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in _allowIp)
            if (network.Contains(address)) return true;
        return false;
    }
}
