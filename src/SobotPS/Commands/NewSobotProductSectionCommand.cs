using System.Collections.Generic;
using System.Management.Automation;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Builds a typed section for Send-SobotProductMessage -Section.</summary>
    [Cmdlet(VerbsCommon.New, "SobotProductSection")]
    [OutputType(typeof(ProductSection))]
    public sealed class NewSobotProductSectionCommand : PSCmdlet
    {
        /// <summary>Up to 24 characters.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string Title { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("product_retailer_id", "Sku")]
        public string[] ProductRetailerId { get; set; } = new string[0];

        private readonly List<string> _ids = new List<string>();

        protected override void ProcessRecord() => _ids.AddRange(ProductRetailerId);

        protected override void EndProcessing() => WriteObject(new ProductSection(Title, _ids));
    }
}
