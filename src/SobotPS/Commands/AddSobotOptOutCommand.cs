using System;
using System.Management.Automation;
using Sobot.Client.Receiver;

namespace SobotPS.Commands
{
    /// <summary>
    /// Puts numbers on the opt-out list by hand (a complaint by phone, a request by mail): Send-Sobot* then skips
    /// them. Says for each number whether it was added or already there.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "SobotOptOut", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotOptOutChange))]
    public sealed class AddSobotOptOutCommand : OptOutCmdlet
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
            if (!(Key(CustomerNumber) is string number)) return;
            if (!ShouldProcess(number, "Add to the opt-out list")) return;
            string source = "manual:" + (Reason ?? Environment.UserName + "@" + Environment.MachineName);
            try
            {
                var before = Call(token => receiver.GetOptOutAsync(number, token));
                var added = Call(token => receiver.AddOptOutAsync(number, source, token));
                Changed();
                WriteObject(new SobotOptOutChange(added.CustomerNumber, before is null ? SobotOptOutChangeKind.Added : SobotOptOutChangeKind.AlreadyThere, added.Since, added.Source));
            }
            catch (SobotReceiverException ex)
            {
                WriteReceiverError(ex, CustomerNumber);
            }
        }
    }
}
