using System;

namespace Sobot.Client.Receiver
{
    /// <summary>A message sent to a customer whose answer is awaited.</summary>
    public sealed class ReplyQuestion
    {
        public ReplyQuestion(string customerNumber, DateTimeOffset sentAt, string? messageId, object? state)
        {
            CustomerNumber = customerNumber;
            SentAt = sentAt;
            MessageId = messageId;
            State = state;
        }

        public string CustomerNumber { get; }
        /// <summary>A reply is a message from the customer at or after this time (WhatsApp's timestamps are whole seconds).</summary>
        public DateTimeOffset SentAt { get; }
        /// <summary>The question's wamid: an inbound message whose context names it answers this question and no other.</summary>
        public string? MessageId { get; }
        public object? State { get; }
    }
}
