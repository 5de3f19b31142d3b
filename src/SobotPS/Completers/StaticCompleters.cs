using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using PhoneNumbers;
using Sobot.Client.Validation;

namespace SobotPS.Completers
{
    /// <summary>Two-letter regions libphonenumber knows, with their calling code.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var util = PhoneNumberUtil.GetInstance();
            return CompletionText.Matching(util.GetSupportedRegions(), wordToComplete, r => r + " (+" + util.GetCountryCodeForRegion(r) + ")");
        }
    }

    public sealed class ImageMimeTypeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionText.Matching(MediaTypes.Image, wordToComplete);
    }
}
