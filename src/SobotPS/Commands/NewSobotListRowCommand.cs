using System.Management.Automation;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Builds a typed row for New-SobotListSection.</summary>
    [Cmdlet(VerbsCommon.New, "SobotListRow")]
    [OutputType(typeof(ListRow))]
    public sealed class NewSobotListRowCommand : PSCmdlet
    {
        /// <summary>Up to 200 characters; comes back in the customer's reply.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Id { get; set; } = string.Empty;

        /// <summary>Up to 24 characters.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Title { get; set; } = string.Empty;

        /// <summary>Up to 72 characters.</summary>
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
        public string? Description { get; set; }

        protected override void ProcessRecord() => WriteObject(new ListRow(Id, Title, Description));
    }
}
