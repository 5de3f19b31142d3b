using System;

namespace Sobot.Client.Campaigns
{
    /// <summary>Messages sent and read in one hour (UTC) of a campaign.</summary>
    public sealed class CampaignHour
    {
        public CampaignHour(DateTimeOffset hour, long sends, long reads)
        {
            Hour = hour;
            Sends = sends;
            Reads = reads;
        }

        public DateTimeOffset Hour { get; }
        public long Sends { get; }
        public long Reads { get; }
    }
}
