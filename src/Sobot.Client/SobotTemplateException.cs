using System;

namespace Sobot.Client
{
    /// <summary>A template send that cannot succeed, found from the account's template list before sending.</summary>
    public sealed class SobotTemplateException : SobotException
    {
        public SobotTemplateException(SobotTemplateProblem problem, string templateName, string message, params string[] values) : base(message)
        {
            Problem = problem;
            TemplateName = templateName;
            Values = values ?? Array.Empty<string>();
        }

        public SobotTemplateProblem Problem { get; }
        public string TemplateName { get; }

        /// <summary>
        /// The <see cref="Templates.TemplateSendValues"/> properties to give or leave out (e.g. HeaderImageUrl), so a
        /// caller can name its own way of setting them; empty when none is at fault.
        /// </summary>
        public System.Collections.Generic.IReadOnlyList<string> Values { get; }
    }
}
