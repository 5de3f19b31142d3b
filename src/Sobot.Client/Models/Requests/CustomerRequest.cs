using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary>
    /// The body of <c>POST /api/customer</c> (add) and <c>PUT /api/customer/&lt;mobile&gt;</c> (update,
    /// where the number is in the path; the contract marks <c>name</c> required for both, so an update
    /// carries it too; other fields are optional and labels given replace all earlier ones).
    /// </summary>
    public sealed class CustomerRequest
    {
        public const int MaxNameLength = 100;

        /// <summary>Required on add; null (left out of the body) on update.</summary>
        public string? Mobile { get; set; }
        public string? Name { get; set; }
        public string? Email { get; set; }
        /// <summary>Male or Female.</summary>
        public string? Gender { get; set; }
        /// <summary>DD-MM-YYYY.</summary>
        public string? DateOfBirth { get; private set; }
        public string? FacebookProfile { get; set; }
        public string? LinkedinProfile { get; set; }
        public string? TwitterProfile { get; set; }
        public IDictionary<string, object?>? ExtraFields { get; private set; }
        public IReadOnlyList<string>? Labels { get; set; }

        public void SetDateOfBirth(DateTime? date) =>
            DateOfBirth = date?.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);

        /// <summary>Custom fields; keys may not hold spaces, so each space becomes '_'.</summary>
        public void SetExtraFields(IEnumerable<KeyValuePair<string, object?>>? fields)
        {
            if (fields is null)
            {
                ExtraFields = null;
                return;
            }
            var result = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var pair in fields)
            {
                string key = (pair.Key ?? string.Empty).Trim().Replace(' ', '_');
                if (key.Length == 0) throw new SobotValidationException("extra_fields", "An extra field has an empty name.");
                if (result.ContainsKey(key)) throw new SobotValidationException("extra_fields", $"Two extra fields become '{key}' once spaces are replaced by '_'.");
                result[key] = pair.Value;
            }
            ExtraFields = result.Count == 0 ? null : result;
        }

        /// <summary>Checks the fields: <c>name</c> is required always (Sobot's update takes it too); <paramref name="adding"/> makes mobile required.</summary>
        public void Validate(bool adding)
        {
            if (adding || Mobile != null) Check.PhoneDigits(Mobile, "mobile");
            if (string.IsNullOrWhiteSpace(Name))
                throw new SobotValidationException("name", adding
                    ? "The field 'name' is required and cannot be empty."
                    : "The field 'name' is required on an update as on an add: Sobot keeps the name sent with every update, so give the customer's name.");
            Check.RequiredMaxLength(Name, MaxNameLength, "name");
            if (Email != null && (Email.IndexOf('@') <= 0 || Email.IndexOf('@') == Email.Length - 1 || Email.Any(char.IsWhiteSpace)))
                throw new SobotValidationException("email", $"The field 'email' ('{Email}') is not an email address.");
            Check.OneOf(Gender, new[] { "Male", "Female" }, "gender");
            if (Labels != null)
                for (int i = 0; i < Labels.Count; i++) Check.Required(Labels[i], "labels[" + i + "]");
        }
    }
}
