namespace Sobot.Client.Webhooks
{
    /// <summary>
    /// The rule for a message's latest status, in one place: the receiver's stores keep the furthest status by it and
    /// the client's waits follow it. Statuses only move forward: sent (1) &lt; delivered (2) &lt; read (3), and failed (4)
    /// is terminal: once seen it stays, whatever arrives after. The rank decides, never the order of arrival, so late or
    /// reordered webhooks cannot move a message backwards. Statuses we do not know (WhatsApp adds some, e.g. deleted)
    /// rank 0: kept as events, never replacing a known status.
    /// </summary>
    public static class StatusProgression
    {
        public const int Unknown = 0;
        public const int Sent = 1;
        public const int Delivered = 2;
        public const int Read = 3;
        public const int Failed = 4;

        public static int Rank(string? status) => (status ?? string.Empty).ToLowerInvariant() switch
        {
            "sent" => Sent,
            "delivered" => Delivered,
            "read" => Read,
            "failed" => Failed,
            _ => Unknown,
        };
    }
}
