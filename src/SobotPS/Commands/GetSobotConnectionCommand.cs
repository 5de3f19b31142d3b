using System.Management.Automation;

namespace SobotPS.Commands
{
    /// <summary>Shows this runspace's default connection: base URI, masked access key, region, connected-at.</summary>
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
