using System.Management.Automation;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Sends a free-form text message (within the customer's 24-hour window).</summary>
    [Cmdlet(VerbsCommunications.Send, "SobotTextMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotMessageResult))]
    public sealed class SendSobotTextMessageCommand : SendMessageCmdlet
    {
        /// <summary>Up to 4096 characters; URLs are previewed; *bold*, _italic_, ~strike~ work.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Text", "Body")]
        [AllowEmptyString]
        public string Message { get; set; } = string.Empty;

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName) =>
            new TextMessageRequest(customerNumber, customerName, Message);
    }
}
