using System.Management.Automation;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Sends a list message: a button that opens 1 to 10 sections with at most 10 rows in all.</summary>
    [Cmdlet(VerbsCommunications.Send, "SobotListMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotMessageResult))]
    public sealed class SendSobotListMessageCommand : SendInteractiveMessageCmdlet
    {
        /// <summary>The label of the button that opens the list, 1 to 20 characters.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string ButtonText { get; set; } = string.Empty;

        /// <summary>
        /// Sections: New-SobotListSection objects or hashtables such as
        /// @{ Title = 'one'; Rows = @(@{ Id = 'id_1'; Title = 'First title'; Description = 'optional' }) }.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Sections")]
        [AllowEmptyCollection, AllowNull]
        public object[] Section { get; set; } = new object[0];

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName) =>
            new ListMessageRequest(customerNumber, customerName, Message, ButtonText, SectionReader.ListSections(Section), Header, Footer);
    }
}
