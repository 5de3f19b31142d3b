using System;
using System.Collections.Generic;
using System.Text;

namespace Sobot.Client.Validation
{
    /// <summary>
    /// Turns what people type ("+91 99705-85556", "(0)20 7946 0958" with a region) into the contract's
    /// form: digits only, country calling code first. Numbers libphonenumber does not consider valid
    /// are refused, so nothing is sent to a number that cannot exist.
    /// </summary>
    public sealed class PhoneNumberNormalizer
    {
        public const int MaxDigits = 15;
        // Not a static field: the metadata loads on first use (or in the background warm-up), not when a client is built.
        private static PhoneNumberLibrary Util => PhoneNumberLibrary.Instance;

        public PhoneNumberNormalizer(string? defaultRegion = null)
        {
            if (!string.IsNullOrWhiteSpace(defaultRegion))
            {
                var region = defaultRegion!.Trim().ToUpperInvariant();
                if (!IsSupportedRegion(region))
                    throw new ArgumentException($"'{defaultRegion}' is not a region libphonenumber knows; use a two-letter ISO 3166 code such as IN, US or GB.", nameof(defaultRegion));
                DefaultRegion = region;
            }
        }

        public string? DefaultRegion { get; }

        public static bool IsSupportedRegion(string region) => System.Linq.Enumerable.Contains(Util.SupportedRegions, region.ToUpperInvariant());

        /// <summary>Every region libphonenumber knows (two-letter codes).</summary>
        public static IReadOnlyCollection<string> SupportedRegions => Util.SupportedRegions;

        public static int CountryCodeForRegion(string region) => Util.CountryCodeForRegion(region);

        /// <summary>Normalizes or throws a <see cref="SobotValidationException"/> for <c>customer_number</c>.</summary>
        public string Normalize(string? input, string field = "customer_number")
        {
            if (TryNormalize(input, out var digits, out var error)) return digits!;
            throw new SobotValidationException(field, error!);
        }

        public bool TryNormalize(string? input, out string? digits, out string? error)
        {
            digits = null;
            error = null;
            if (string.IsNullOrWhiteSpace(input))
            {
                error = "The customer number is empty.";
                return false;
            }

            string text = input!.Trim();
            bool international = text.StartsWith("+", StringComparison.Ordinal);
            string bare = KeepDialable(text);
            if (!international && bare.StartsWith("00", StringComparison.Ordinal))
            {
                international = true;
                bare = bare.Substring(2);
            }
            if (bare.Length == 0)
            {
                error = $"'{input}' holds no digits.";
                return false;
            }

            // Digits-only input without '+' is read first as the contract's own form (country code first),
            // then, when that is not a valid number, as a national number of the default region.
            (int CountryCode, string National)? parsed = null;
            if (international || !bare.StartsWith("0", StringComparison.Ordinal))
                parsed = Util.ParseValid("+" + bare, "ZZ");
            if (parsed is null && !international && DefaultRegion != null)
                parsed = Util.ParseValid(bare, DefaultRegion);

            if (parsed is null)
            {
                error = international || DefaultRegion != null
                    ? $"'{input}' is not a valid phone number."
                    : $"'{input}' is not a valid phone number with its country code; write it with the country code (e.g. 919970585556) or set a default region for national numbers.";
                return false;
            }

            digits = parsed.Value.CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + parsed.Value.National;
            if (digits.Length > MaxDigits)
            {
                error = $"'{input}' has more than {MaxDigits} digits with its country code.";
                digits = null;
                return false;
            }
            return true;
        }

        private static readonly PhoneNumberNormalizer International = new PhoneNumberNormalizer();

        /// <summary>
        /// The one rule for a customer number used as a key (the receiver's stored events, opt-outs, windows and
        /// waits, and every query the module makes of them): this normalizer's answer with no default region, so
        /// "+91 98765-00040" and "919876500040" are one customer. A number libphonenumber does not know (a new
        /// range, as WhatsApp's digits-only wa_id may be) keeps its bare digits when it has 1 to 15 of them and does
        /// not start with 0; anything else (letters, no digits, a national number) is null.
        /// </summary>
        public static string? Canonical(string? number)
        {
            if (string.IsNullOrWhiteSpace(number)) return null;
            if (International.TryNormalize(number, out var digits, out _)) return digits;
            string bare = KeepDialable(number!.Trim());
            if (bare.StartsWith("00", StringComparison.Ordinal)) bare = bare.Substring(2);
            return bare.Length > 0 && bare.Length <= MaxDigits && bare[0] != '0' ? bare : null;
        }

        /// <summary>
        /// The key a customer number is kept and compared under (opt-outs, conversation windows, reply waits, the
        /// campaign report): <see cref="Canonical"/>, or the trimmed text itself when that says it is no number.
        /// </summary>
        public static string CanonicalKey(string? number) => Canonical(number) ?? (number ?? string.Empty).Trim();

        /// <summary>Keeps digits; drops the separators people type. Letters make the number invalid.</summary>
        private static string KeepDialable(string text)
        {
            var sb = new StringBuilder(text.Length);
            foreach (char c in text)
            {
                if (c >= '0' && c <= '9') sb.Append(c);
                else if (char.IsDigit(c)) sb.Append((char)('0' + (int)char.GetNumericValue(c)));
                else if (c == '+' || c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/' || c == '\u00A0') continue;
                else return string.Empty;
            }
            return sb.ToString();
        }
    }
}
