using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using Sobot.Client.Validation;

namespace SobotPS.Completers
{
    /// <summary>Two-letter regions libphonenumber knows, with their calling code.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            return CompletionText.Matching(PhoneNumberNormalizer.SupportedRegions, wordToComplete, r => r + " (+" + PhoneNumberNormalizer.CountryCodeForRegion(r) + ")");
        }
    }
}
