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
}
