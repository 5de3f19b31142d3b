using System;
using System.Globalization;

namespace SobotPS.Completers
{
    /// <summary>
    /// How long a completer that asks a server (the consumer names, the template list) waits before it gives up: no
    /// completion beats a prompt that hangs. Its own short default, unless the environment variable
    /// <c>SOBOT_COMPLETER_TIMEOUT_SEC</c> holds a positive number of seconds (at most 600): tests on a loaded machine set
    /// it (say to 30) so that a slow answer is not taken for none; users leave it unset. Read at each completion.
    /// </summary>
    internal static class CompletionBudget
    {
        internal const string Variable = "SOBOT_COMPLETER_TIMEOUT_SEC";

        /// <summary>The variable's seconds when set and valid, else <paramref name="usual"/>.</summary>
        internal static TimeSpan Or(TimeSpan usual) => Parse(Environment.GetEnvironmentVariable(Variable)) ?? usual;

        internal static TimeSpan? Parse(string? text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && seconds <= 600
                ? TimeSpan.FromSeconds(seconds)
                : (TimeSpan?)null;
    }
}
