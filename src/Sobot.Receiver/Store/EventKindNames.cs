namespace Sobot.Receiver.Store;

/// <summary>The one spelling of each <see cref="EventKind"/> in the store and on the wire.</summary>
public static class EventKindNames
{
    public static string ToName(this EventKind kind) => kind switch
    {
        EventKind.Inbound => "inbound",
        EventKind.Status => "status",
        _ => "unknown",
    };

    public static bool TryParse(string? name, out EventKind kind)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "inbound": kind = EventKind.Inbound; return true;
            case "status": kind = EventKind.Status; return true;
            case "unknown": kind = EventKind.Unknown; return true;
            default: kind = EventKind.Unknown; return false;
        }
    }
}
