using Sobot.Client.Models.Responses;

namespace SobotPS
{
    /// <summary>
    /// A customer of the account. CustomerNumber and Name bind by property name to the Send-Sobot*
    /// cmdlets, so <c>Get-SobotCustomer | Send-SobotTemplate …</c> works.
    /// </summary>
    public sealed class SobotCustomer
    {
        internal SobotCustomer(CustomerRecord r)
        {
            Id = r.Id;
            Name = r.Name ?? string.Empty;
            FirstName = r.FirstName;
            LastName = r.LastName;
            CustomerNumber = r.Mobile ?? string.Empty;
        }

        public long Id { get; }
        public string Name { get; }
        public string? FirstName { get; }
        public string? LastName { get; }
        /// <summary>The mobile number: digits, country code first.</summary>
        public string CustomerNumber { get; }

        public override string ToString() => Name + " (" + CustomerNumber + ")";
    }

    public enum SobotCustomerAction
    {
        Added,
        Updated,
    }

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
