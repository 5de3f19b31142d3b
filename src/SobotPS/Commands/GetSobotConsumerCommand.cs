using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Sobot.Client.Receiver;
using SobotPS.Completers;

namespace SobotPS.Commands
{
    /// <summary>
    /// The consumers the webhook receiver keeps (Receive-SobotMessage -Consumer): each one's position (the last event
    /// it handled) and, while a run reads it, who holds it and until when.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SobotConsumer")]
    [OutputType(typeof(ReceiverConsumer))]
    public sealed class GetSobotConsumerCommand : ReceiverCmdlet
    {
        /// <summary>Only these consumers (wildcards allowed); all when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ConsumerNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var receiver = ResolveReceiver();
            IReadOnlyList<ReceiverConsumer>? all = null;
            Guarded(Name, () =>
            {
                if (Name is null || Name.Length == 0)
                {
                    WriteObject(Call(token => receiver.GetConsumersAsync(token)), enumerateCollection: true);
                    return;
                }
                foreach (var name in Name)
                {
                    if (WildcardPattern.ContainsWildcardCharacters(name))
                    {
                        all ??= Call(token => receiver.GetConsumersAsync(token));
                        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                        WriteObject(all.Where(c => pattern.IsMatch(c.Name)), enumerateCollection: true);
                        continue;
                    }
                    var one = Call(token => receiver.GetConsumerAsync(name, token));
                    if (one.UpdatedAt is null && one.Holder is null)
                        WriteError(new ErrorRecord(new ItemNotFoundException($"The receiver has no consumer '{name}': its first Receive-SobotMessage -Consumer {name} (or Set-SobotConsumer) makes it."),
                            SobotErrorIds.NotFound, ErrorCategory.ObjectNotFound, name));
                    else
                        WriteObject(one);
                }
            });
        }
    }
}
