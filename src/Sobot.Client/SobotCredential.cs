using System;
using System.Runtime.InteropServices;
using System.Security;

namespace Sobot.Client
{
    /// <summary>
    /// The access key and secret key pair. The secret stays a <see cref="SecureString"/>; it is
    /// revealed only while a request's headers are written, and nothing here prints either key.
    /// </summary>
    public sealed class SobotCredential
    {
        private readonly string _accessKey;
        private readonly SecureString _secretKey;

        public SobotCredential(string accessKey, SecureString secretKey)
        {
            if (string.IsNullOrWhiteSpace(accessKey)) throw new ArgumentException("The access key is empty.", nameof(accessKey));
            if (secretKey is null || secretKey.Length == 0) throw new ArgumentException("The secret key is empty.", nameof(secretKey));
            _accessKey = accessKey.Trim();
            _secretKey = secretKey.Copy();
            _secretKey.MakeReadOnly();
        }

        /// <summary>The access key shortened to its last four characters, e.g. "****b7f2".</summary>
        public string MaskedAccessKey => Mask(_accessKey);

        internal string AccessKey => _accessKey;

        internal string RevealSecret()
        {
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(_secretKey);
                return Marshal.PtrToStringUni(ptr) ?? string.Empty;
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        /// <summary>Removes both keys from a text that might contain them (e.g. an echoed error body).</summary>
        internal string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            var result = text!.Replace(_accessKey, "[redacted]");
            var secret = RevealSecret();
            return secret.Length == 0 ? result : result.Replace(secret, "[redacted]");
        }

        public static string Mask(string? key)
        {
            if (string.IsNullOrEmpty(key)) return string.Empty;
            return key!.Length <= 4 ? new string('*', key.Length) : "****" + key.Substring(key.Length - 4);
        }

        public override string ToString() => "SobotCredential " + MaskedAccessKey;
    }
}
