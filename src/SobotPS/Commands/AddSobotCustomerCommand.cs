using System.Management.Automation;

namespace SobotPS.Commands
{
    /// <summary>Adds customers; every field binds by property name, so <c>Import-Csv customers.csv | Add-SobotCustomer</c> imports a list.</summary>
    [Cmdlet(VerbsCommon.Add, "SobotCustomer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SobotCustomerResult))]
    public sealed class AddSobotCustomerCommand : CustomerCmdlet
    {
        /// <summary>Up to 100 characters.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_name", "Name")]
        [AllowEmptyString]
        public string CustomerName { get; set; } = string.Empty;

        protected override void ProcessRecord() => Write(ResolveConnection(), CustomerName, SobotCustomerAction.Added, "Add customer");
    }
}
