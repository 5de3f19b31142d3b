using System;

namespace Sobot.Client.Receiver
{
    /// <summary>What <c>GET /healthz</c> says: whether the store answers, how many events it holds, the newest.</summary>
    public sealed class ReceiverHealth
    {
        public ReceiverHealth(bool storeReachable, long events, long lastSeq, DateTimeOffset? lastEventAt)
        {
            StoreReachable = storeReachable;
            Events = events;
            LastSeq = lastSeq;
            LastEventAt = lastEventAt;
        }

        public bool StoreReachable { get; }
        public long Events { get; }
        public long LastSeq { get; }
        public DateTimeOffset? LastEventAt { get; }
    }
}
