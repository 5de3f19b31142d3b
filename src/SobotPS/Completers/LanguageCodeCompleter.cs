using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SobotPS.Completers
{
    /// <summary>The documented language codes, plus those of the connection's cached templates.</summary>
    public sealed class LanguageCodeCompleter : IArgumentCompleter
    {
        private static readonly string[] Documented = { "en", "en_US", "en_GB", "hi", "mr" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var connection = SobotSession.Current;
            var cached = connection is { IsOpen: true } ? connection.Client.Templates.Cached.Select(t => t.LangCode) : Enumerable.Empty<string?>();
            return CompletionText.Matching(Documented.Concat(cached), wordToComplete);
        }
    }
}
