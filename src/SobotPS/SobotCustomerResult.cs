namespace SobotPS
{
    /// <summary>One customer Add-SobotCustomer or Set-SobotCustomer wrote.</summary>
    public sealed class SobotCustomerResult
    {
        internal SobotCustomerResult(string customerNumber, string? name, SobotCustomerAction action, string? message, object? inputObject)
        {
            CustomerNumber = customerNumber;
            Name = name;
            Action = action;
            Message = message;
            InputObject = inputObject;
        }

        public string CustomerNumber { get; }
        public string? Name { get; }
        public SobotCustomerAction Action { get; }
        /// <summary>Sobot's answer, e.g. "Customer added successfully".</summary>
        public string? Message { get; }
        /// <summary>The pipeline object (e.g. the CSV row) this came from.</summary>
        public object? InputObject { get; }
    }
}
