using System;

namespace Sobot.Client.PreSend
{
    /// <summary>
    /// A run that requires the opt-out list could not get one: the receiver could not be read and no copy was ever
    /// kept on disk. Nothing was sent.
    /// </summary>
    public sealed class OptOutListUnavailableException : SobotException
    {
        public OptOutListUnavailableException(Uri receiver, Exception cause)
            : base($"{cause.Message.TrimEnd('.')}, so its opt-out list could not be read, and none from it was ever kept on this machine. Nothing was sent: a number that said STOP must not be messaged, and this run asked to be sure of that.", cause)
        {
            Receiver = receiver;
        }

        public Uri Receiver { get; }
    }
}
