using System;
using System.Runtime.InteropServices;
using System.Security;

namespace Sobot.Client
{
    /// <summary>
    /// The one place a secret crosses between <see cref="SecureString"/> and plain text: revealed only for the
    /// moment a header or a child's environment is written, and the unmanaged copy zeroed at once.
    /// </summary>
    public static class SecureText
    {
        public static string Reveal(SecureString secure)
        {
            if (secure is null) throw new ArgumentNullException(nameof(secure));
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
                // With the length: a NUL inside the secret must not cut it short.
                return Marshal.PtrToStringUni(ptr, secure.Length) ?? string.Empty;
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        /// <summary>A read-only SecureString holding <paramref name="text"/>.</summary>
        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }
}
