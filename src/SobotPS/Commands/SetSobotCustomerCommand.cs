using System.Management.Automation;

namespace SobotPS.Commands
{
    /// <summary>Updates customers by number. Only the fields given change, except labels: those given replace all earlier labels.</summary>
    [Cmdlet(VerbsCommon.Set, "SobotCustomer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotCustomerResult))]
    public sealed class SetSobotCustomerCommand : CustomerCmdlet
    {
        /// <summary>A new name, up to 100 characters.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_name", "Name")]
        [AllowNull, AllowEmptyString]
        public string? CustomerName { get; set; }

        protected override void ProcessRecord() => Write(ResolveConnection(), CustomerName, SobotCustomerAction.Updated, "Update customer");
    }
}
