using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SobotPS.Completers
{
    /// <summary>Completes -ProcessId with the receivers this user started that still run (a local list: never the network).</summary>
    public sealed class ReceiverProcessIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var running = ReceiverRegistry.Running();
            var stores = running.ToDictionary(r => r.ProcessId.ToString(CultureInfo.InvariantCulture), r => r.Store);
            return CompletionText.Matching(stores.Keys, wordToComplete, pid => $"pid {pid}: {stores[pid]}");
        }
    }
}
