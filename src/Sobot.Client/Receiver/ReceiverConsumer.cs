using System;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// A named cursor kept by the receiver: the last event a consumer handled, and, while someone reads it, the
    /// lease that keeps a second reader out (who holds it and until when).
    /// </summary>
    public sealed class ReceiverConsumer
    {
        public ReceiverConsumer(string name, long position, DateTimeOffset? updatedAt, string? holder = null, string? description = null, DateTimeOffset? leaseUntil = null)
        {
            Name = name;
            Position = position;
            UpdatedAt = updatedAt;
            Holder = holder;
            Description = description;
            LeaseUntil = leaseUntil;
        }

        public string Name { get; }
        public long Position { get; }
        /// <summary>When the position was last set; null for a consumer never set.</summary>
        public DateTimeOffset? UpdatedAt { get; }
        /// <summary>The opaque id of the reader holding the lease; null when nobody reads it.</summary>
        public string? Holder { get; }
        /// <summary>Who the reader is, as it said when taking the lease (e.g. <c>alice@web01 pid 4242</c>).</summary>
        public string? Description { get; }
        /// <summary>When the lease ends unless renewed; null when nobody reads it.</summary>
        public DateTimeOffset? LeaseUntil { get; }

        /// <summary>Whether a reader holds a live lease at <paramref name="now"/>.</summary>
        public bool IsLeasedAt(DateTimeOffset now) => Holder != null && LeaseUntil is DateTimeOffset until && until > now;
    }
}
