using System.Management.Automation;
using Sobot.Client.Receiver;
using SobotPS.Completers;

namespace SobotPS.Commands
{
    /// <summary>
    /// Removes consumers the receiver keeps (a job that is gone). A consumer of that name made again starts from the
    /// first stored event. Refused while a run reads it (SobotConsumerBusy).
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "SobotConsumer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveSobotConsumerCommand : ReceiverCmdlet
    {
        /// <summary>The consumer's name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ConsumerNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            var receiver = ResolveReceiver();
            if (!ShouldProcess($"consumer '{Name}'", "Remove it (a reader of that name would start again from the first stored event)")) return;
            Guarded(Name, () =>
            {
                if (!Call(token => receiver.DeleteConsumerAsync(Name, token)))
                    WriteError(new ErrorRecord(new ItemNotFoundException($"The receiver has no consumer '{Name}'."), SobotErrorIds.NotFound, ErrorCategory.ObjectNotFound, Name));
            });
        }
    }
}
