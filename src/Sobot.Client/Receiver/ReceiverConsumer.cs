using System;

namespace Sobot.Client.Receiver
{
    /// <summary>A named cursor kept by the receiver: the last event a consumer handled.</summary>
    public sealed class ReceiverConsumer
    {
        public ReceiverConsumer(string name, long position, DateTimeOffset? updatedAt)
        {
            Name = name;
            Position = position;
            UpdatedAt = updatedAt;
        }

        public string Name { get; }
        public long Position { get; }
        public DateTimeOffset? UpdatedAt { get; }
    }
}
