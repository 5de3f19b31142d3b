using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Sobot.Client;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Builds a typed section for Send-SobotListMessage -Section.</summary>
    [Cmdlet(VerbsCommon.New, "SobotListSection")]
    [OutputType(typeof(ListSection))]
    public sealed class NewSobotListSectionCommand : PSCmdlet
    {
        /// <summary>Up to 24 characters.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string Title { get; set; } = string.Empty;

        /// <summary>Rows: New-SobotListRow objects or hashtables @{ Id; Title; Description }.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        [Alias("Rows")]
        public object[] Row { get; set; } = new object[0];

        private readonly List<object> _rows = new List<object>();

        protected override void ProcessRecord() => _rows.AddRange(Row);

        protected override void EndProcessing()
        {
            try
            {
                var section = SectionReader.ListSections(new object[] { new Dictionary<string, object> { ["Title"] = Title, ["Rows"] = _rows.ToArray() } }).Single();
                WriteObject(section);
            }
            catch (SobotValidationException ex)
            {
                WriteError(SobotErrors.FromValidation(ex, Title));
            }
        }
    }
}
