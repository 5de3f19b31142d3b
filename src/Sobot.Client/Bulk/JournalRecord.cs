using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sobot.Client.Bulk
{
    /// <summary>One line of a journal, and reading lines back without losing a whole record to a torn one.</summary>
    internal sealed class JournalRecord
    {
        internal const string Header = "{\"journal\":\"SobotPS\",\"version\":1}";
        private static readonly JsonSerializerOptions LineOptions = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        };

        [JsonPropertyName("k")] public string? K { get; set; }
        [JsonPropertyName("s")] public string? S { get; set; }
        [JsonPropertyName("n")] public string? N { get; set; }
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("e")] public string? E { get; set; }
        [JsonPropertyName("r")] public bool R { get; set; }
        [JsonPropertyName("t")] public long T { get; set; }
        /// <summary>The input row's identity.</summary>
        [JsonPropertyName("i")] public string? I { get; set; }
        /// <summary>Refused before sending.</summary>
        [JsonPropertyName("v")] public bool V { get; set; }

        public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, LineOptions);

        public JournalEntry ToEntry() =>
            new JournalEntry(K!, ParseState(S!), N, Id, E, R, DateTimeOffset.FromUnixTimeMilliseconds(T), I, V);

        private static JournalState ParseState(string s) => s switch
        {
            "S" => JournalState.Sent,
            "F" => JournalState.Failed,
            "U" => JournalState.Unknown,
            "K" => JournalState.Skipped,
            _ => JournalState.Pending,
        };

        /// <summary>A whole record, or null for a line that is not one.</summary>
        public static JournalRecord? TryParse(string line)
        {
            try
            {
                var record = JsonSerializer.Deserialize<JournalRecord>(line, LineOptions);
                return record?.K is null || record.S is null ? null : record;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>
        /// The record of a line. A line that does not parse may be a torn record (a crash mid-write) with a
        /// whole record glued after it by a later run that did not repair it: that record is recovered.
        /// </summary>
        public static JournalRecord? ParseLine(string line)
        {
            var record = TryParse(line);
            if (record != null) return record;
            for (int start = line.IndexOf('{', 1); start > 0; start = line.IndexOf('{', start + 1))
            {
                record = TryParse(line.Substring(start));
                if (record != null) return record;
            }
            return null;
        }

        internal static JournalUnusableException NotAJournal(string path) =>
            new JournalUnusableException($"'{path}' is not a SobotPS send journal (its first line is not the journal header). Use a new file, or one an earlier run wrote.");

        /// <summary>Every record of a journal stream, in order. Throws <see cref="JournalUnusableException"/> when it is not a journal.</summary>
        public static IEnumerable<JournalRecord> ReadAll(Stream stream, string path)
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, false, 1 << 16, leaveOpen: true);
            string? first = reader.ReadLine();
            if (first is null) yield break;
            if (first.Trim() != Header)
                throw NotAJournal(path);
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                var record = ParseLine(line);
                if (record != null) yield return record;
            }
        }
    }
}
