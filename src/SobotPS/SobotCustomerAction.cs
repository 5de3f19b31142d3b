namespace SobotPS
{
    public enum SobotCustomerAction
    {
        Added,
        Updated,
    }
}
