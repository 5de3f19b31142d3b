using System.Management.Automation;

namespace SobotPS.Commands
{
    /// <summary>Forgets this runspace's default connection (or closes the one given).</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Sobot")]
    [OutputType(typeof(void))]
    public sealed class DisconnectSobotCommand : PromptSafeCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public SobotConnection? Connection { get; set; }

        protected override void ProcessRecord()
        {
            var current = SobotSession.Current;
            var target = Connection ?? current;
            if (target is null)
            {
                WriteVerbose("Not connected to Sobot; nothing to disconnect.");
                return;
            }
            if (ReferenceEquals(target, current)) SobotSession.Current = null;
            target.Close();
            WriteVerbose($"Disconnected from {target.BaseUri}.");
        }
    }
}
