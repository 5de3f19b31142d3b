namespace SobotPS
{
    public enum SobotTemplateCategory
    {
        Marketing,
        Utility,
        Authentication,
    }
}
