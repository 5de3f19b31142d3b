namespace Sobot.Emulator;

/// <summary>How long each status webhook waits after the step before it, in milliseconds.</summary>
public sealed record StatusDelays(int Sent, int Delivered, int Read)
{
    public static readonly StatusDelays None = new(0, 0, 0);

    /// <summary>One number for every step ("250"), or named steps ("sent=100,delivered=300,read=1000"; a step left out waits 0).</summary>
    public static bool TryParse(string text, out StatusDelays delays)
    {
        delays = None;
        const int max = 3_600_000;
        if (EmulatorKnobs.WholeNumber(text.Trim(), max) is int all)
        {
            delays = new StatusDelays(all, all, all);
            return true;
        }
        var named = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0].ToLowerInvariant() is not ("sent" or "delivered" or "read") || named.ContainsKey(pair[0])
                || EmulatorKnobs.WholeNumber(pair[1], max) is not int ms)
                return false;
            named[pair[0]] = ms;
        }
        delays = new StatusDelays(named.GetValueOrDefault("sent"), named.GetValueOrDefault("delivered"), named.GetValueOrDefault("read"));
        return true;
    }
}
