using System.Globalization;

namespace Sobot.Receiver.Query;

/// <summary>Reads query-string values, and says in one sentence what is wrong with a bad one (the 400 message).</summary>
public static class QueryArguments
{
    public static bool TryLong(string? text, string name, long min, long max, long fallback, out long value, out string? problem)
    {
        problem = null;
        value = fallback;
        if (string.IsNullOrEmpty(text)) return true;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max) return true;
        problem = $"{name} takes a whole number from {min} to {max}; got '{text}'.";
        return false;
    }

    /// <summary>Unix seconds (a plain number) or an ISO 8601 date and time (without an offset: UTC).</summary>
    public static bool TryTime(string? text, out DateTimeOffset? value, out string? problem)
    {
        problem = null;
        value = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long seconds) && seconds >= 0 && seconds <= 253402300799L)
        {
            value = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            value = time;
            return true;
        }
        problem = $"since takes unix seconds or an ISO 8601 time; got '{text}'.";
        return false;
    }
}
