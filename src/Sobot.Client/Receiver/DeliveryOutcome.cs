using Sobot.Client.Webhooks;

namespace Sobot.Client.Receiver
{
    /// <summary>A sent message that reached the awaited status, or failed.</summary>
    public sealed class DeliveryOutcome
    {
        public DeliveryOutcome(string messageId, object? state, SobotMessageStatus status, bool failed)
        {
            MessageId = messageId;
            State = state;
            Status = status;
            Failed = failed;
        }

        public string MessageId { get; }
        public object? State { get; }
        /// <summary>The latest status: the one that reached the target, or the failure.</summary>
        public SobotMessageStatus Status { get; }
        public bool Failed { get; }
    }
}
