using Sobot.Client.Webhooks;

namespace Sobot.Client.Receiver
{
    /// <summary>A question and the customer's message that answers it.</summary>
    public sealed class ReplyMatch
    {
        public ReplyMatch(ReplyQuestion question, SobotInboundMessage reply)
        {
            Question = question;
            Reply = reply;
        }

        public ReplyQuestion Question { get; }
        public SobotInboundMessage Reply { get; }
    }
}
