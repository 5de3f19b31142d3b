using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Sobot.Client;
using Sobot.Client.Models.Requests;

namespace SobotPS
{
    /// <summary>The fields Add-SobotCustomer and Set-SobotCustomer share, all bound by property name so a CSV imports in one line.</summary>
    public abstract class CustomerCmdlet : SobotCmdlet, ISpreadsheetOutput
    {
        /// <summary>For a spreadsheet: each text property that would start a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter SafeForSpreadsheet { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "Mobile", "Phone", "PhoneNumber", "Number")]
        [AllowEmptyString]
        public string CustomerNumber { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? Email { get; set; }

        /// <summary>Male or Female.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completers.GenderCompleter))]
        [AllowNull, AllowEmptyString]
        public string? Gender { get; set; }

        /// <summary>Sent as DD-MM-YYYY; accepts a DateTime or text such as 1990-08-15 or 15-08-1990.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("date_of_birth", "DOB", "Birthday")]
        [SobotDateTransformation]
        [AllowNull]
        public DateTime? DateOfBirth { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("facebook_profile")]
        [AllowNull, AllowEmptyString]
        public string? FacebookProfile { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("linkedin_profile")]
        [AllowNull, AllowEmptyString]
        public string? LinkedInProfile { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("twitter_profile")]
        [AllowNull, AllowEmptyString]
        public string? TwitterProfile { get; set; }

        /// <summary>Custom fields; spaces in names become '_'.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("extra_fields", "ExtraFields")]
        [AllowNull]
        public IDictionary? ExtraField { get; set; }

        /// <summary>Labels; one CSV cell may hold several separated by ';'.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("labels")]
        [SobotListTransformation]
        [AllowNull, AllowEmptyCollection]
        public string[]? Label { get; set; }

        /// <summary>The whole pipeline object, kept as the error target and on the result.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        protected object Target => PipelineTarget(InputObject, CustomerNumber);

        protected CustomerRequest BuildRequest(SobotConnection connection, string? name)
        {
            var request = new CustomerRequest
            {
                Mobile = connection.Client.PhoneNumbers.Normalize(CustomerNumber, "mobile"),
                Name = Blank(name),
                Email = Blank(Email),
                Gender = NormalizeGender(Gender),
                FacebookProfile = Blank(FacebookProfile),
                LinkedinProfile = Blank(LinkedInProfile),
                TwitterProfile = Blank(TwitterProfile),
                Labels = Label?.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).ToArray(),
            };
            request.SetDateOfBirth(DateOfBirth);
            if (ExtraField != null)
                request.SetExtraFields(ExtraField.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object?>(
                    e.Key?.ToString() ?? string.Empty, ToJsonValue(e.Value))));
            return request;
        }

        /// <summary>Sends one customer; writes the result or one error (already-exists gets its own ErrorId).</summary>
        protected void Write(SobotConnection connection, string? name, SobotCustomerAction action, string verb)
        {
            CustomerRequest request;
            try
            {
                request = BuildRequest(connection, name);
                request.Validate(adding: action == SobotCustomerAction.Added);
            }
            catch (SobotValidationException ex)
            {
                WriteError(SobotErrors.FromValidation(ex, Target));
                return;
            }
            string number = request.Mobile!;
            string what = action == SobotCustomerAction.Updated && request.Labels != null ? verb + " (the labels given replace all earlier labels)" : verb;
            if (!ShouldProcess($"{request.Name ?? number} ({number})", what)) return;
            try
            {
                var response = Call(token => action == SobotCustomerAction.Added
                    ? connection.Client.AddCustomerAsync(request, token)
                    : connection.Client.UpdateCustomerAsync(number, request, token));
                WriteObject(new SobotCustomerResult(number, request.Name, action, response.Message, Target as PSObject));
            }
            catch (SobotApiException ex) when (ex.Kind == SobotErrorKind.BadRequest && ex.SobotMessage != null
                                               && ex.SobotMessage.IndexOf("already exists", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                WriteError(SobotErrors.Record(ex, SobotErrorIds.CustomerAlreadyExists, ErrorCategory.ResourceExists, Target));
            }
            catch (SobotApiException ex)
            {
                WriteApiError(ex, Target);
            }
        }

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

        private static string? NormalizeGender(string? value)
        {
            var text = Blank(value);
            if (text is null) return null;
            if (text.Equals("male", StringComparison.OrdinalIgnoreCase) || text.Equals("m", StringComparison.OrdinalIgnoreCase)) return "Male";
            if (text.Equals("female", StringComparison.OrdinalIgnoreCase) || text.Equals("f", StringComparison.OrdinalIgnoreCase)) return "Female";
            return text; // refused by validation, naming the allowed values
        }

        /// <summary>Plain values for the JSON body: numbers and booleans stay, anything else becomes its text.</summary>
        private static object? ToJsonValue(object? value)
        {
            value = InputReader.Unwrap(value);
            switch (value)
            {
                case null: return null;
                case string _: case bool _: case int _: case long _: case double _: case decimal _: case float _: return value;
                case DateTime d: return d.ToString("dd-MM-yyyy", System.Globalization.CultureInfo.InvariantCulture);
                default: return LanguagePrimitives.ConvertTo<string>(value);
            }
        }
    }
}
