namespace Sobot.Client.Bulk
{
    /// <summary>What became of a sent message after Sobot accepted it, as its status webhooks tell.</summary>
    public enum DeliveryState
    {
        /// <summary>Accepted by Sobot; no status webhook yet.</summary>
        Submitted,
        Sent,
        Delivered,
        Read,
        Failed,
    }
}
