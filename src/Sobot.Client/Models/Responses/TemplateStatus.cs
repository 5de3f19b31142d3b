namespace Sobot.Client.Models.Responses
{
    /// <summary>A template's review state, as the list's <c>status</c> number gives it.</summary>
    public enum TemplateStatus
    {
        Pending = 0,
        Approved = 1,
        Rejected = 2,
    }
}
