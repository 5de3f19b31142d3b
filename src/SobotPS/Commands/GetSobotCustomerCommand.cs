using System.Management.Automation;
using Sobot.Client;

namespace SobotPS.Commands
{
    /// <summary>Lists the account's customers, every page, streaming each as it arrives.</summary>
    [Cmdlet(VerbsCommon.Get, "SobotCustomer")]
    [OutputType(typeof(SobotCustomer))]
    public sealed class GetSobotCustomerCommand : SobotCmdlet, ISpreadsheetOutput
    {
        /// <summary>For a spreadsheet: each text property that would start a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter SafeForSpreadsheet { get; set; }

        /// <summary>Only this number (normalized like the send cmdlets do).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "Mobile", "Phone", "PhoneNumber", "Number")]
        public string? CustomerNumber { get; set; }

        /// <summary>Only customers whose name matches; wildcards allowed.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("customer_name", "CustomerName")]
        [SupportsWildcards]
        public string? Name { get; set; }

        protected override void ProcessRecord()
        {
            var connection = ResolveConnection();
            string? number = null;
            if (!string.IsNullOrWhiteSpace(CustomerNumber))
            {
                try { number = connection.Client.PhoneNumbers.Normalize(CustomerNumber, "mobile"); }
                catch (SobotValidationException ex)
                {
                    WriteError(SobotErrors.FromValidation(ex, CustomerNumber));
                    return;
                }
            }
            var pattern = string.IsNullOrEmpty(Name) ? null : WildcardPattern.Get(Name, WildcardOptions.IgnoreCase);
            int found = 0;
            try
            {
                foreach (var record in Stream(connection.Client.EnumerateCustomersAsync))
                {
                    if (number != null && record.Mobile != number) continue;
                    if (pattern != null && !pattern.IsMatch(record.Name ?? string.Empty)) continue;
                    found++;
                    WriteObject(new SobotCustomer(record));
                }
            }
            catch (SobotApiException ex)
            {
                WriteApiError(ex, (object?)CustomerNumber ?? Name);
                return;
            }
            if (found == 0 && number != null)
                WriteError(SobotErrors.Record(new ItemNotFoundException($"The account has no customer with the number {number}."),
                    SobotErrorIds.NotFound, ErrorCategory.ObjectNotFound, CustomerNumber));
        }
    }
}
