namespace Sobot.Receiver;

/// <summary>Endpoint metadata: on which listeners the endpoint exists, and whether it needs the query key.</summary>
public sealed record ListenerScope(bool OnIngress, bool OnQuery, bool NeedsQueryKey)
{
    public static readonly ListenerScope IngressOnly = new(true, false, false);
    public static readonly ListenerScope QueryWithKey = new(false, true, true);
    public static readonly ListenerScope Everywhere = new(true, true, false);

    public bool Allows(ListenerRole role) => role == ListenerRole.Ingress ? OnIngress : OnQuery;
}
