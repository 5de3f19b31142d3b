using System;

namespace Sobot.Client
{
    /// <summary>A template send that cannot succeed, found from the account's template list before sending.</summary>
    public sealed class SobotTemplateException : SobotException
    {
        public SobotTemplateException(SobotTemplateProblem problem, string templateName, string message) : base(message)
        {
            Problem = problem;
            TemplateName = templateName;
        }

        public SobotTemplateProblem Problem { get; }
        public string TemplateName { get; }
    }
}
