using System.Management.Automation;
using Sobot.Client;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Sends one catalog product, or up to 30 products in titled sections (needs a Meta catalog connected in Sobot).</summary>
    [Cmdlet(VerbsCommunications.Send, "SobotProductMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SingleSet)]
    [OutputType(typeof(SobotMessageResult))]
    public sealed class SendSobotProductMessageCommand : SendInteractiveMessageCmdlet
    {
        private const string SingleSet = "Single";
        private const string MultiSet = "Multi";

        /// <summary>The catalog product to send (single-product message).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SingleSet, ValueFromPipelineByPropertyName = true)]
        [Alias("product_retailer_id", "Sku")]
        [AllowEmptyString]
        public string ProductRetailerId { get; set; } = string.Empty;

        /// <summary>
        /// Sections of a multi-product message: New-SobotProductSection objects or hashtables such as
        /// @{ Title = 'Cakes'; ProductRetailerId = @('sbt_in_4_1','sbt_in_4_2') }.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = MultiSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Sections")]
        [AllowEmptyCollection, AllowNull]
        public object[] Section { get; set; } = new object[0];

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName)
        {
            if (ParameterSetName == MultiSet)
                return ProductMessageRequest.Multi(customerNumber, customerName, Message, SectionReader.ProductSections(Section), Header, Footer);
            if (!string.IsNullOrEmpty(Header))
                throw new SobotValidationException("header", "A single-product message has no header; use -Section for a multi-product message with a header.");
            return ProductMessageRequest.Single(customerNumber, customerName, Message, ProductRetailerId, Footer);
        }
    }
}
