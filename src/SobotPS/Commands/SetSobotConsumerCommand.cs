using System.Management.Automation;
using Sobot.Client.Receiver;
using SobotPS.Completers;

namespace SobotPS.Commands
{
    /// <summary>
    /// Moves a consumer's cursor: back, to hand out events again (after a failed import), or forward, to skip them
    /// (-Latest: only what arrives from now on). Refused while a run reads the consumer (SobotConsumerBusy).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SobotConsumer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Position")]
    [OutputType(typeof(ReceiverConsumer))]
    public sealed class SetSobotConsumerCommand : ReceiverCmdlet
    {
        /// <summary>The consumer's name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ConsumerNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The seq of the last event it has handled: the next read starts after it (0: from the first stored event).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Position")]
        [ValidateRange(0, long.MaxValue)]
        public long Position { get; set; }

        /// <summary>To the receiver's newest event: what is stored now is skipped.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Latest")]
        public SwitchParameter Latest { get; set; }

        /// <summary>Return the consumer as set.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var receiver = ResolveReceiver();
            Guarded(Name, () =>
            {
                long now = Call(token => receiver.GetConsumerAsync(Name, token)).Position;
                long position = Latest ? Call(token => receiver.GetHealthAsync(token)).LastSeq : Position;
                string move = position < now ? "back" : position > now ? "forward" : "to where it is";
                if (!ShouldProcess($"consumer '{Name}'", $"Move its cursor {move}, from {now} to {position} (the next read starts after seq {position})")) return;
                var set = Call(token => receiver.SetConsumerAsync(Name, position, null, token));
                if (PassThru) WriteObject(set);
            });
        }
    }
}
