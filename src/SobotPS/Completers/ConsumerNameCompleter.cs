using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;

namespace SobotPS.Completers
{
    /// <summary>
    /// Completes -Consumer with the names the connected receiver keeps; gives up after a second rather than block the
    /// prompt, or after <c>SOBOT_COMPLETER_TIMEOUT_SEC</c> seconds when that is set (tests set it; see <see cref="CompletionBudget"/>).
    /// </summary>
    public sealed class ConsumerNameCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan UsualBudget = TimeSpan.FromSeconds(1);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var receiver = SobotSession.Current is { IsOpen: true } connection ? connection.Receiver : null;
            if (receiver is null) return Array.Empty<CompletionResult>();
            try
            {
                using var cancel = new CancellationTokenSource(CompletionBudget.Or(UsualBudget));
                var names = Task.Run(() => receiver.GetConsumersAsync(cancel.Token)).GetAwaiter().GetResult().Select(c => c.Name);
                return CompletionText.Matching(names, wordToComplete);
            }
            catch (Exception ex) when (ex is Sobot.Client.Receiver.SobotReceiverException || ex is OperationCanceledException)
            {
                return Array.Empty<CompletionResult>();
            }
        }
    }
}
