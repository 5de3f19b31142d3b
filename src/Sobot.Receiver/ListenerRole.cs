namespace Sobot.Receiver;

/// <summary>Which listener a connection came in on. Each endpoint says where it answers (<see cref="ListenerScope"/>).</summary>
public enum ListenerRole
{
    Ingress,
    Query,
}
