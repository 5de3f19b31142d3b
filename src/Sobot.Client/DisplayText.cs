using System.Globalization;
using System.Text;

namespace Sobot.Client
{
    /// <summary>
    /// Text from outside (customers' names and messages, replies, Sobot's and WhatsApp's failure reasons, template text)
    /// as a console may show it: every character a terminal would act on is written as an escape, so a name cannot set
    /// the window title (<c>ESC]0;…BEL</c>), clear the screen (<c>ESC[2J</c>), return over a line (CR) or reorder it (a
    /// bidi override). C0 controls, DEL and C1 controls become <c>\x1B</c>-style escapes, the bidi controls U+202A-U+202E
    /// and U+2066-U+2069 <c>\u202E</c>-style. For display only (format views, progress lines): the objects keep the
    /// original text. A backslash is not escaped, so <c>\x1B</c> typed as text looks the same as an escaped ESC; paths
    /// stay readable, and the object holds the truth.
    /// </summary>
    public static class DisplayText
    {
        /// <summary>For a one-line cell: line breaks and tabs are escaped too.</summary>
        public static string Escape(string? text) => Escape(text, keepLines: false);

        /// <summary>For a cell that may span lines (a list view): LF and CRLF stay line breaks, a tab stays a tab; the rest as <see cref="Escape(string)"/>.</summary>
        public static string EscapeLines(string? text) => Escape(text, keepLines: true);

        /// <summary>Whether <paramref name="c"/> is shown escaped (outside the line breaks and tabs a multi-line cell keeps).</summary>
        public static bool IsEscaped(char c) =>
            c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');

        private static string Escape(string? text, bool keepLines)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            int first = 0;
            while (first < text!.Length && !IsEscaped(text[first])) first++;
            if (first == text.Length) return text;
            var sb = new StringBuilder(text.Length + 16).Append(text, 0, first);
            for (int i = first; i < text.Length; i++)
            {
                char c = text[i];
                if (keepLines && (c == '\n' || c == '\t')) sb.Append(c);
                else if (keepLines && c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { }   // CRLF shows as the line break it is
                else if (!IsEscaped(c)) sb.Append(c);
                else if (c <= 0xFF) sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                else sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }
    }
}
