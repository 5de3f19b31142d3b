using System.Management.Automation;
using Sobot.Client.Receiver;

namespace SobotPS.Commands
{
    /// <summary>
    /// Takes numbers off the opt-out list (as a START message does), so Send-Sobot* messages them again. Says for
    /// each number whether it was removed (and since when it had been on the list) or was not there.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "SobotOptOut", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(SobotOptOutChange))]
    public sealed class RemoveSobotOptOutCommand : OptOutCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "Mobile", "Phone", "Number")]
        [ValidateNotNullOrEmpty]
        public string CustomerNumber { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            var receiver = ResolveReceiver();
            if (!(Key(CustomerNumber) is string number)) return;
            if (!ShouldProcess(number, "Remove from the opt-out list (messages to it are sent again)")) return;
            try
            {
                var before = Call(token => receiver.GetOptOutAsync(number, token));
                bool removed = Call(token => receiver.RemoveOptOutAsync(number, token));
                if (removed) Changed();
                WriteObject(removed
                    ? new SobotOptOutChange(number, SobotOptOutChangeKind.Removed, before?.Since, before?.Source)
                    : new SobotOptOutChange(number, SobotOptOutChangeKind.WasNotThere, null, null));
            }
            catch (SobotReceiverException ex)
            {
                WriteReceiverError(ex, CustomerNumber);
            }
        }
    }
}
