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

        public static void InRange(double value, double min, double max, string field)
        {
            if (double.IsNaN(value) || value < min || value > max)
                throw new SobotValidationException(field, string.Format(CultureInfo.InvariantCulture,
                    "The field '{0}' is {1}; it must be from {2} to {3}.", field, value, min, max));
        }

        /// <summary>How many items a list holds: from <paramref name="min"/> to <paramref name="max"/>.</summary>
        public static void Count(int count, int min, int max, string field, string what)
        {
            if (count < min || count > max)
                throw new SobotValidationException(field, string.Format(CultureInfo.InvariantCulture,
                    "The field '{0}' holds {1} {2}; Sobot allows {3} to {4}.", field, count, what, min, max));
        }

        /// <summary>Button labels: a count within the limit, each 1 to <paramref name="maxLength"/> characters, no repeats.</summary>
        public static void Buttons(IReadOnlyList<string?>? buttons, int max, int maxLength, string field)
        {
            Count(buttons?.Count ?? 0, 1, max, field, "buttons");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < buttons!.Count; i++)
            {
                RequiredMaxLength(buttons[i], maxLength, field + "[" + i + "]");
                if (!seen.Add(buttons[i]!))
                    throw new SobotValidationException(field, $"The button '{buttons[i]}' appears twice in '{field}'; buttons must be unique.");
            }
        }

        public static void NoEmoji(string? value, string field)
        {
            if (value is null) return;
            foreach (char c in value)
            {
                if (char.IsSurrogate(c) || (c >= '\u2600' && c <= '\u27BF') || (c >= '\u2B00' && c <= '\u2BFF') || c == '\uFE0F' || c == '\u200D')
                    throw new SobotValidationException(field, $"The field '{field}' cannot contain emoji.");
            }
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
