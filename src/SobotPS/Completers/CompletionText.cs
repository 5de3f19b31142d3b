using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace SobotPS.Completers
{
    /// <summary>Turns candidate values into completion results for the word being typed.</summary>
    internal static class CompletionText
    {
        public static IEnumerable<CompletionResult> Matching(IEnumerable<string?> candidates, string? wordToComplete, Func<string, string>? tooltip = null)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
            return candidates
                .Where(c => !string.IsNullOrEmpty(c) && pattern.IsMatch(c))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .OrderBy(c => c, StringComparer.OrdinalIgnoreCase)
                .Select(c => new CompletionResult(Quote(c!), c, CompletionResultType.ParameterValue, tooltip?.Invoke(c!) ?? c));
        }

        private static string Quote(string value) =>
            value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', '#', ',' }) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;
    }
}
