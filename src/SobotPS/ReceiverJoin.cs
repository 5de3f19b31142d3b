using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Campaigns;
using Sobot.Client.Receiver;
using Sobot.Client.Webhooks;

namespace SobotPS
{
    /// <summary>A <see cref="DeliveryJoin"/> that reads from the connected receiver: statuses by id, last inbound messages by number.</summary>
    internal static class ReceiverJoin
    {
        public static DeliveryJoin For(SobotReceiverClient receiver) =>
            new DeliveryJoin(
                (ids, token) => receiver.GetStatusesAsync(ids, token),
                async (numbers, token) =>
                {
                    var last = await receiver.GetLastInboundAsync(numbers, token).ConfigureAwait(false);
                    return last.ToDictionary(l => l.CustomerNumber, l => l.LastInboundAt, StringComparer.Ordinal);
                });
    }
}
