using System;
using System.Collections.Generic;
using System.Globalization;

namespace Sobot.Client.Validation
{
    /// <summary>
    /// The documented limits, each failing with a message that names the field and the limit.
    /// Lengths count Unicode characters (code points), so an emoji counts once.
    /// </summary>
    public static class Check
    {
        public static int TextLength(string value)
        {
            int count = 0;
            for (int i = 0; i < value.Length; i++)
            {
                if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
                count++;
            }
            return count;
        }

        public static void Required(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
                throw new SobotValidationException(field, $"The field '{field}' is required and cannot be empty.");
        }

        public static void MaxLength(string? value, int max, string field)
        {
            if (value is null) return;
            int length = TextLength(value);
            if (length > max)
                throw new SobotValidationException(field, string.Format(CultureInfo.InvariantCulture,
                    "The field '{0}' is {1} characters long; Sobot allows at most {2}.", field, length, max));
        }

        public static void RequiredMaxLength(string? value, int max, string field)
        {
            Required(value, field);
            MaxLength(value, max, field);
        }

        public static void OneOf(string? value, IReadOnlyCollection<string> allowed, string field)
        {
            if (value is null) return;
            foreach (var a in allowed)
                if (string.Equals(a, value, StringComparison.Ordinal)) return;
            throw new SobotValidationException(field,
                $"The field '{field}' is '{value}'; allowed values are {string.Join(", ", allowed)}.");
        }

        public static void HttpUrl(string? value, string field)
        {
            Required(value, field);
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                throw new SobotValidationException(field, $"The field '{field}' must be an absolute http or https URL that Sobot can reach; got '{value}'.");
        }

        /// <summary>The contract's phone form: digits only, country code first, at most 15.</summary>
        public static void PhoneDigits(string? value, string field)
        {
            Required(value, field);
            foreach (char c in value!)
                if (c < '0' || c > '9')
                    throw new SobotValidationException(field, $"The field '{field}' must hold digits only (country code first, no '+', spaces or punctuation); got '{value}'.");
            if (value.Length > PhoneNumberNormalizer.MaxDigits)
                throw new SobotValidationException(field, $"The field '{field}' has {value.Length} digits; Sobot allows at most {PhoneNumberNormalizer.MaxDigits}.");
        }
    }
}
