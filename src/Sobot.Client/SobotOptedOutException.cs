using System;

namespace Sobot.Client
{
    /// <summary>The number asked not to be messaged (it said STOP, or someone put it on the list): nothing is sent to it.</summary>
    public sealed class SobotOptedOutException : SobotException
    {
        public SobotOptedOutException(string customerNumber, DateTimeOffset since, string source)
            : base($"{customerNumber} opted out on {since.ToUniversalTime():yyyy-MM-dd HH:mm} UTC ({source}); nothing was sent. It gets messages again after it says START or is taken off the list.")
        {
            CustomerNumber = customerNumber;
            Since = since;
            OptOutSource = source;
        }

        public string CustomerNumber { get; }
        public DateTimeOffset Since { get; }
        /// <summary>Who or what put the number on the list: <c>inbound:&lt;wamid&gt;</c> for a STOP message, <c>manual:&lt;who&gt;</c> for a person.</summary>
        public string OptOutSource { get; }
    }
}
