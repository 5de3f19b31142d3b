namespace Sobot.Client
{
    /// <summary>
    /// The defence against formula injection in exported files (CSV opened in Excel, LibreOffice, Google Sheets): a
    /// text that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return would be read as a
    /// formula (<c>=HYPERLINK(…)</c>, <c>+cmd|' /C calc'!A0</c>), so it gets a leading apostrophe, which spreadsheets show
    /// as text. Only text: a number stays a number, so a negative amount is untouched, but a text that merely looks like
    /// a number (<c>-2+3</c>, a phone number typed <c>+91 …</c>) gets the apostrophe too.
    /// </summary>
    public static class SpreadsheetText
    {
        public static bool StartsFormula(string? text)
        {
            if (string.IsNullOrEmpty(text)) return false;
            switch (text![0])
            {
                case '=': case '+': case '-': case '@': case '\t': case '\r': return true;
                default: return false;
            }
        }

        /// <summary><paramref name="text"/> with a leading apostrophe when it would start a formula; otherwise as it is.</summary>
        public static string? Inert(string? text) => StartsFormula(text) ? "'" + text : text;
    }
}
