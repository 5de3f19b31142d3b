namespace Sobot.Receiver.Store;

/// <summary>
/// The stop and start words. Decided once, before the store sees an event, so every store implementation applies
/// the same words the same way: a message counts only when its whole text (trimmed, any case) is one of the words.
/// </summary>
public sealed class ConsentWords
{
    public static readonly IReadOnlyList<string> DefaultStopWords = ["STOP", "UNSUBSCRIBE", "STOP ALL", "CANCEL"];
    public static readonly IReadOnlyList<string> DefaultStartWords = ["START"];
    public static readonly ConsentWords Default = new(DefaultStopWords, DefaultStartWords);

    private readonly HashSet<string> _stop;
    private readonly HashSet<string> _start;

    public ConsentWords(IEnumerable<string> stopWords, IEnumerable<string> startWords)
    {
        _stop = new HashSet<string>(stopWords.Select(w => w.Trim()).Where(w => w.Length > 0), StringComparer.OrdinalIgnoreCase);
        _start = new HashSet<string>(startWords.Select(w => w.Trim()).Where(w => w.Length > 0), StringComparer.OrdinalIgnoreCase);
        var both = _stop.Intersect(_start, StringComparer.OrdinalIgnoreCase).FirstOrDefault();
        // One word meaning both would make the outcome depend on which list is checked first.
        if (both != null) throw new ArgumentException($"'{both}' is both a stop word and a start word.");
    }

    public IReadOnlyCollection<string> StopWords => _stop;
    public IReadOnlyCollection<string> StartWords => _start;

    /// <summary>
    /// Text messages are judged by their body, button and interactive replies by the button's text. A media caption
    /// does not count: a photo captioned "stop" is not a request to be left alone.
    /// </summary>
    public ConsentChange Classify(string? messageType, string? text, string? buttonText)
    {
        string? said = messageType?.ToLowerInvariant() switch
        {
            "text" => text,
            "button" or "interactive" => buttonText ?? text,
            _ => null,
        };
        if (said == null) return ConsentChange.None;
        said = said.Trim();
        if (_stop.Contains(said)) return ConsentChange.OptOut;
        if (_start.Contains(said)) return ConsentChange.OptIn;
        return ConsentChange.None;
    }

    /// <summary>A comma-separated option value (<c>--stop-words "STOP,STOP ALL"</c>).</summary>
    public static IReadOnlyList<string> ParseList(string option, string text)
    {
        var words = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length > 0 ? words : throw new ArgumentException($"{option} needs at least one word.");
    }
}
