namespace Sobot.Client.Campaigns
{
    /// <summary>How many messages of a campaign failed for one reason (WhatsApp's code and title).</summary>
    public sealed class CampaignFailureReason
    {
        public CampaignFailureReason(string reason, long count)
        {
            Reason = reason;
            Count = count;
        }

        public string Reason { get; }
        public long Count { get; }
    }
}
