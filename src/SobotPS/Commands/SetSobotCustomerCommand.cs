using System.Management.Automation;

namespace SobotPS.Commands
{
    /// <summary>
    /// Updates customers by number. Sobot requires the name on every update, so it is bound by property name
    /// (Get-SobotCustomer output and CSVs carry Name); the client refuses a row without one, nothing sent.
    /// Only the fields given change, except labels: those given replace all earlier labels.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SobotCustomer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotCustomerResult))]
    public sealed class SetSobotCustomerCommand : CustomerCmdlet
    {
        /// <summary>The customer's name (or a new one), up to 100 characters; Sobot requires it on every update.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_name", "Name")]
        [AllowNull, AllowEmptyString]
        public string? CustomerName { get; set; }

        protected override void ProcessRecord() => Write(ResolveConnection(), CustomerName, SobotCustomerAction.Updated, "Update customer");
    }
}
