using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SobotPS.Completers
{
    /// <summary>The languages of the template named by -TemplateName (or of all cached templates).</summary>
    public sealed class TemplateLanguageCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string? name = fakeBoundParameters?["TemplateName"]?.ToString();
            var templates = TemplateNameCompleter.Templates(fakeBoundParameters!)
                .Where(t => string.IsNullOrEmpty(name) || string.Equals(t.EntityName, name, StringComparison.Ordinal));
            return CompletionText.Matching(templates.Select(t => t.LangCode), wordToComplete);
        }
    }
}
