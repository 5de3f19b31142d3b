using System.Management.Automation;
using Sobot.Client.Receiver;

namespace SobotPS.Commands
{
    /// <summary>Takes numbers off the opt-out list (as a START message does), so Send-Sobot* messages them again.</summary>
    [Cmdlet(VerbsCommon.Remove, "SobotOptOut", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveSobotOptOutCommand : ReceiverCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "Mobile", "Phone", "Number")]
        [ValidateNotNullOrEmpty]
        public string CustomerNumber { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            var receiver = ResolveReceiver();
            string number = OptOutNumber.Of(CustomerNumber);
            if (!ShouldProcess(number, "Remove from the opt-out list (messages to it are sent again)")) return;
            try
            {
                bool removed = Call(token => receiver.RemoveOptOutAsync(number, token));
                if (!removed) WriteVerbose($"{number} was not on the opt-out list.");
            }
            catch (SobotReceiverException ex)
            {
                WriteReceiverError(ex, CustomerNumber);
            }
        }
    }
}
