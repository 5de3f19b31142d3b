namespace Sobot.Client.Receiver
{
    /// <summary>
    /// The receiver refused a consumer call (409) because another reader holds the consumer's lease. The message is
    /// the receiver's, naming who reads it and until when.
    /// </summary>
    public sealed class SobotConsumerBusyException : SobotReceiverException
    {
        public SobotConsumerBusyException(string consumer, string message) : base(409, message)
        {
            Consumer = consumer;
        }

        public string Consumer { get; }
    }
}
