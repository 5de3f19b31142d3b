namespace Sobot.Receiver.Tests;

/// <summary>
/// The kill tests' size. By default they post a few thousand events, enough to kill a receiver with posts in flight
/// and see every acknowledged one survive; with <c>SOBOT_SOAK=1</c> (what <c>./build.ps1 -Task Soak</c> sets) they post
/// the full 20,000. Mark such a test <c>[Trait("Category", Soak.Category)]</c> so the soak task finds it.
/// </summary>
internal static class Soak
{
    public const string Category = "Soak";
    public const string Variable = "SOBOT_SOAK";

    public static bool On => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>The number of events to post: <paramref name="full"/> in a soak run, <paramref name="usual"/> otherwise.</summary>
    public static int Events(int usual, int full) => On ? full : usual;

    /// <summary>A deadline for a condition that should hold long before it, scaled with the number of events posted.</summary>
    public static TimeSpan Deadline(int events) => TimeSpan.FromSeconds(60) + TimeSpan.FromMilliseconds(15.0 * events);
}
