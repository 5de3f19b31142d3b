using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security;
using System.Text;

namespace Sobot.Client
{
    /// <summary>
    /// The access key and secret key pair. The secret stays a <see cref="SecureString"/>; it is
    /// revealed only while a request's headers are written, and nothing here prints either key.
    /// A key must be printable (<see cref="PrintableKey"/>): surrounding whitespace is trimmed and reported in
    /// <see cref="Notices"/>; a control character inside a key is refused.
    /// </summary>
    public sealed class SobotCredential
    {
        private readonly string _accessKey;
        private readonly SecureString _secretKey;
        private readonly string[] _redactions;

        public SobotCredential(string accessKey, SecureString secretKey)
        {
            if (secretKey is null || secretKey.Length == 0) throw new ArgumentException("The secret key is empty.", nameof(secretKey));
            var notices = new List<string>();
            _accessKey = CleanKey(accessKey, "access key", notices);
            string secret = Reveal(secretKey);
            string cleanSecret = CleanKey(secret, "secret key", notices);
            if (cleanSecret.Length == secret.Length)
            {
                _secretKey = secretKey.Copy();
            }
            else
            {
                _secretKey = SecureText.Secure(cleanSecret);
            }
            if (!_secretKey.IsReadOnly()) _secretKey.MakeReadOnly();
            Notices = notices;
            _redactions = Forms(_accessKey, cleanSecret);
        }

        /// <summary>What was trimmed from the keys (never the keys themselves), for the caller to pass on as a warning.</summary>
        public IReadOnlyList<string> Notices { get; }

        /// <summary>The access key shortened to its last four characters, e.g. "****b7f2".</summary>
        public string MaskedAccessKey => Mask(_accessKey);

        internal string AccessKey => _accessKey;

        internal string RevealSecret() => Reveal(_secretKey);

        private static string Reveal(SecureString secure) => SecureText.Reveal(secure);

        private static string CleanKey(string? key, string what, List<string> notices) =>
            PrintableKey.Clean(key, what, what == "access key" ? "accessKey" : "secretKey", "the Sobot portal", notices);

        /// <summary>Each key as it might appear in an echoed body: as is, JSON-escaped, and URL-encoded.</summary>
        private static string[] Forms(string accessKey, string secret)
        {
            var forms = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in new[] { accessKey, secret })
            {
                forms.Add(key);
                forms.Add(System.Text.Json.JsonEncodedText.Encode(key).ToString());
                forms.Add(System.Text.Json.JsonEncodedText.Encode(key, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString());
                forms.Add(JsonEscapeAll(key, upper: true));
                forms.Add(JsonEscapeAll(key, upper: false));
                forms.Add(System.Text.Json.JsonEncodedText.Encode(key).ToString().Replace("/", "\\/")); // PHP-style \/
                string url = Uri.EscapeDataString(key);
                forms.Add(url);
                forms.Add(LowerPercentHex(url));
                forms.Add(url.Replace("%20", "+"));
            }
            forms.RemoveWhere(f => f.Length == 0);
            var list = new List<string>(forms);
            list.Sort((a, b) => b.Length.CompareTo(a.Length)); // longest first, so no form is left half-replaced
            return list.ToArray();
        }

        /// <summary>Every character outside [A-Za-z0-9] as \uXXXX: how some servers escape JSON strings.</summary>
        private static string JsonEscapeAll(string key, bool upper)
        {
            var sb = new StringBuilder(key.Length * 2);
            foreach (char c in key)
            {
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) sb.Append(c);
                else sb.Append("\\u").Append(((int)c).ToString(upper ? "X4" : "x4", CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }

        private static string LowerPercentHex(string url)
        {
            var sb = new StringBuilder(url);
            for (int i = 0; i + 2 < sb.Length; i++)
                if (sb[i] == '%')
                {
                    sb[i + 1] = char.ToLowerInvariant(sb[i + 1]);
                    sb[i + 2] = char.ToLowerInvariant(sb[i + 2]);
                }
            return sb.ToString();
        }

        /// <summary>Removes both keys, in any of their escaped forms, from a text that might contain them (e.g. an echoed error body).</summary>
        internal string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            string result = text!;
            foreach (var form in _redactions)
                if (result.IndexOf(form, StringComparison.OrdinalIgnoreCase) >= 0)
                    result = ReplaceIgnoreCase(result, form);
            return result;
        }

        private static string ReplaceIgnoreCase(string text, string form)
        {
            var sb = new StringBuilder(text.Length);
            int start = 0;
            for (int i = text.IndexOf(form, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(form, start, StringComparison.OrdinalIgnoreCase))
            {
                sb.Append(text, start, i - start).Append("[redacted]");
                start = i + form.Length;
            }
            return sb.Append(text, start, text.Length - start).ToString();
        }

        public static string Mask(string? key)
        {
            if (string.IsNullOrEmpty(key)) return string.Empty;
            return key!.Length <= 4 ? new string('*', key.Length) : "****" + key.Substring(key.Length - 4);
        }

        public override string ToString() => "SobotCredential " + MaskedAccessKey;
    }
}
