namespace Sobot.Client.Campaigns
{
    /// <summary>One step of a campaign's funnel: how many messages got that far, and their share of those submitted.</summary>
    public sealed class CampaignFunnelStep
    {
        public CampaignFunnelStep(string step, long count, double rate)
        {
            Step = step;
            Count = count;
            Rate = rate;
        }

        public string Step { get; }
        public long Count { get; }
        public double Rate { get; }
    }
}
