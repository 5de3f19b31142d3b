namespace Sobot.Receiver.Store;

/// <summary>
/// The rule for a message's latest status. Statuses only move forward: sent (1) &lt; delivered (2) &lt; read (3),
/// and failed (4) is terminal: once seen it stays, whatever arrives after. The rank decides, never the order of
/// arrival, so late or reordered webhooks cannot move a message backwards. Statuses we do not know (WhatsApp adds
/// some, e.g. deleted) rank 0: kept as events, never replacing a known status.
/// </summary>
public static class StatusProgression
{
    public static int Rank(string? status) => status?.ToLowerInvariant() switch
    {
        "sent" => 1,
        "delivered" => 2,
        "read" => 3,
        "failed" => 4,
        _ => 0,
    };
}
