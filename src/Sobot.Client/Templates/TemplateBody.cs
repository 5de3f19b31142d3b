using System.Globalization;
using System.Text.RegularExpressions;

namespace Sobot.Client.Templates
{
    /// <summary>Reads the <c>{{n}}</c> variables of a template body.</summary>
    public static class TemplateBody
    {
        private static readonly Regex Variable = new Regex(@"\{\{\s*(\d+)\s*\}\}", RegexOptions.CultureInvariant);

        /// <summary>How many body parameters a send must carry: the highest <c>{{n}}</c>, 0 when none.</summary>
        public static int CountVariables(string? body)
        {
            if (string.IsNullOrEmpty(body)) return 0;
            int max = 0;
            foreach (Match m in Variable.Matches(body))
                if (int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > max) max = n;
            return max;
        }
    }
}
