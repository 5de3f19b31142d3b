namespace Sobot.Client
{
    public enum SobotTemplateProblem
    {
        NotFound,
        AmbiguousLanguage,
        NotApproved,
        ParameterCountMismatch,
    }
}
