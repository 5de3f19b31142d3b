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
    /// the same keys, so the journal recognises every row. Counts are kept per 128-bit digest (two longs, not a
    /// string), so a run of 200,000 rows stays small. Not thread-safe: one per run.
    /// </summary>
    public sealed class RowKeys : IDisposable
    {
        private readonly SHA256 _sha = SHA256.Create();
        private readonly Dictionary<Digest, int> _seen = new Dictionary<Digest, int>();

        /// <summary>The row's key: its digest in hex and its occurrence, e.g. "3f…a1#2".</summary>
        public string Next(string text)
        {
            var hash = Hash(text, out int occurrence);
            var sb = new StringBuilder(40);
            for (int i = 0; i < 16; i++) sb.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
            return sb.Append('#').Append(occurrence.ToString(CultureInfo.InvariantCulture)).ToString();
        }

        /// <summary>Counts the row without making its key: 1 for the first with this content, 2 for the next, and so on.</summary>
        public int NextOccurrence(string text)
        {
            Hash(text, out int occurrence);
            return occurrence;
        }

        private byte[] Hash(string text, out int occurrence)
        {
            var hash = _sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            var digest = new Digest(BitConverter.ToInt64(hash, 0), BitConverter.ToInt64(hash, 8));
            _seen.TryGetValue(digest, out int count);
            _seen[digest] = occurrence = count + 1;
            return hash;
        }

        /// <summary>1 for the first row with this content in a run, 2 for the next identical one, and so on.</summary>
        public static int Occurrence(string key)
        {
            int hash = key.LastIndexOf('#');
            return hash >= 0 && int.TryParse(key.Substring(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 1;
        }

        public void Dispose() => _sha.Dispose();

        private readonly struct Digest : IEquatable<Digest>
        {
            private readonly long _high;
            private readonly long _low;

            public Digest(long high, long low)
            {
                _high = high;
                _low = low;
            }

            public bool Equals(Digest other) => _high == other._high && _low == other._low;
            public override bool Equals(object? obj) => obj is Digest d && Equals(d);
            public override int GetHashCode() => unchecked((int)_high ^ (int)(_high >> 32) ^ (int)_low);
        }
    }
}
