using System;
using System.Globalization;

namespace Sobot.Client.Receiver
{
    /// <summary>A length of time as people say it: "850 ms", "42 s", "3 min 12 s", "2 h 5 min", "3 d 4 h".</summary>
    public static class Durations
    {
        public static string Describe(TimeSpan span)
        {
            if (span < TimeSpan.Zero) span = TimeSpan.Zero;
            if (span < TimeSpan.FromSeconds(1)) return ((int)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";
            if (span < TimeSpan.FromMinutes(1)) return ((int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s";
            if (span < TimeSpan.FromHours(1))
                return string.Format(CultureInfo.InvariantCulture, span.Seconds == 0 ? "{0} min" : "{0} min {1} s", (int)span.TotalMinutes, span.Seconds);
            if (span < TimeSpan.FromDays(1))
                return string.Format(CultureInfo.InvariantCulture, span.Minutes == 0 ? "{0} h" : "{0} h {1} min", (int)span.TotalHours, span.Minutes);
            return string.Format(CultureInfo.InvariantCulture, span.Hours == 0 ? "{0} d" : "{0} d {1} h", (int)span.TotalDays, span.Hours);
        }
    }
}
