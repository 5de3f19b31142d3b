namespace SobotPS
{
    public enum SobotTemplateStatus
    {
        Pending = 0,
        Approved = 1,
        Rejected = 2,
    }
}
