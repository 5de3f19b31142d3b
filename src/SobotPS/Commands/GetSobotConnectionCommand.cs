using System.Management.Automation;

namespace SobotPS.Commands
{
    /// <summary>
    /// Shows this runspace's default connection: base URI, masked access key, region, connected-at, and the webhook
    /// receiver with what was last seen of it (ReceiverState, ReceiverError, ReceiverCheckedAt). Makes no call.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SobotConnection")]
    [OutputType(typeof(SobotConnection))]
    public sealed class GetSobotConnectionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            var current = SobotSession.Current;
            if (current != null) WriteObject(current);
        }
    }
}
