using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sobot.Client.Bulk
{
    /// <summary>
    /// Names each row by its content: a hash of the text (a request body, or an input row's values) plus how
    /// many identical texts came before it in this run. Re-running the same command over the same CSV yields
    /// the same keys, so the journal recognises every row. Not thread-safe: one per run.
    /// </summary>
    public sealed class RowKeys : IDisposable
    {
        private readonly SHA256 _sha = SHA256.Create();
        private readonly Dictionary<string, int> _seen = new Dictionary<string, int>(StringComparer.Ordinal);

        public string Next(string text)
        {
            var hash = _sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            var sb = new StringBuilder(40);
            for (int i = 0; i < 16; i++) sb.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
            string digest = sb.ToString();
            _seen.TryGetValue(digest, out int count);
            _seen[digest] = count + 1;
            return digest + "#" + (count + 1).ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>1 for the first row with this content in a run, 2 for the next identical one, and so on.</summary>
        public static int Occurrence(string key)
        {
            int hash = key.LastIndexOf('#');
            return hash >= 0 && int.TryParse(key.Substring(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 1;
        }

        public void Dispose() => _sha.Dispose();
    }
}
