using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Models.Responses;

namespace SobotPS.Completers
{
    /// <summary>
    /// Template names from the connection's cached template list. When nothing is cached yet it loads the
    /// list once, but gives up after a short wait (2 s, or <c>SOBOT_COMPLETER_TIMEOUT_SEC</c> seconds when that is set:
    /// see <see cref="CompletionBudget"/>) so Tab never hangs the prompt.
    /// </summary>
    public sealed class TemplateNameCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan UsualBudget = TimeSpan.FromSeconds(2);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionText.Matching(Templates(fakeBoundParameters).Select(t => t.EntityName), wordToComplete);

        internal static IReadOnlyList<TemplateRecord> Templates(IDictionary fakeBoundParameters)
        {
            var connection = fakeBoundParameters?["Connection"] as SobotConnection
                             ?? (fakeBoundParameters?["Connection"] as PSObject)?.BaseObject as SobotConnection
                             ?? SobotSession.Current;
            if (connection is null || !connection.IsOpen) return Array.Empty<TemplateRecord>();
            var cached = connection.Client.Templates.Cached;
            if (cached.Count > 0) return cached;
            var budget = CompletionBudget.Or(UsualBudget);
            using (var cancel = new CancellationTokenSource(budget))
            {
                var load = Task.Run(() => connection.Client.Templates.GetAllAsync(false, cancel.Token));
                try
                {
                    if (load.Wait(budget)) return load.Result;
                }
                catch (AggregateException)
                {
                    // No completion beats an error at the prompt.
                }
            }
            return connection.Client.Templates.Cached;
        }
    }
}
