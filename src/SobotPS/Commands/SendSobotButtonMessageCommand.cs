using System;
using System.Linq;
using System.Management.Automation;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Sends a message with 1 to 3 quick-reply buttons (type quick_reply).</summary>
    [Cmdlet(VerbsCommunications.Send, "SobotButtonMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotMessageResult))]
    public sealed class SendSobotButtonMessageCommand : SendInteractiveMessageCmdlet
    {
        /// <summary>1 to 3 unique labels of 1 to 20 characters.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Buttons")]
        [SobotListTransformation]
        [AllowEmptyCollection]
        public string[] Button { get; set; } = Array.Empty<string>();

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName) =>
            new QuickReplyMessageRequest(customerNumber, customerName, Message, Button.Select(b => b ?? string.Empty), Header, Footer);
    }
}
