using System;
using System.Management.Automation;
using Sobot.Client.Receiver;

namespace SobotPS.Commands
{
    /// <summary>Puts numbers on the opt-out list by hand (a complaint by phone, a request by mail): Send-Sobot* then skips them.</summary>
    [Cmdlet(VerbsCommon.Add, "SobotOptOut", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ReceiverOptOut))]
    public sealed class AddSobotOptOutCommand : ReceiverCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "Mobile", "Phone", "Number")]
        [ValidateNotNullOrEmpty]
        public string CustomerNumber { get; set; } = string.Empty;

        /// <summary>Why, or who asked: kept as the source (manual:&lt;reason&gt;). Default: the user running the command.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Reason { get; set; }

        protected override void ProcessRecord()
        {
            var receiver = ResolveReceiver();
            string number = OptOutNumber.Of(CustomerNumber);
            if (!ShouldProcess(number, "Add to the opt-out list")) return;
            string source = "manual:" + (Reason ?? Environment.UserName + "@" + Environment.MachineName);
            try
            {
                var added = Call(token => receiver.AddOptOutAsync(number, source, token));
                WriteObject(added);
            }
            catch (SobotReceiverException ex)
            {
                WriteReceiverError(ex, CustomerNumber);
            }
        }
    }
}
