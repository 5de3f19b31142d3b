using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace Sobot.Client.Bulk
{
    /// <summary>
    /// Names each row by what would be sent: a hash of the request body (which holds the number) plus how
    /// many identical bodies came before it in this run. Re-running the same command over the same CSV
    /// yields the same keys, so the journal recognises every row. Not thread-safe: one per run.
    /// </summary>
    public sealed class RowKeys : IDisposable
    {
        private readonly SHA256 _sha = SHA256.Create();
        private readonly Dictionary<string, int> _seen = new Dictionary<string, int>(StringComparer.Ordinal);

        public string Next(string body)
        {
            var hash = _sha.ComputeHash(Encoding.UTF8.GetBytes(body));
            var sb = new StringBuilder(40);
            for (int i = 0; i < 16; i++) sb.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            string digest = sb.ToString();
            _seen.TryGetValue(digest, out int count);
            _seen[digest] = count + 1;
            return digest + "#" + (count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public void Dispose() => _sha.Dispose();
    }
}
