using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sobot.Receiver.Tests;

/// <summary>Keeps every log line the receiver writes, formatted, with its exception, so a test can look for leaked secrets.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    /// <summary>
    /// How many requests the summary lines of RefusalLog at <paramref name="level"/> say were refused from 127.0.0.1,
    /// for a kind described by <paramref name="what"/> (a regular expression): added up, since one kind may straddle two summaries.
    /// </summary>
    public int Refused(string level, string what) => _lines
        .Select(l => System.Text.RegularExpressions.Regex.Match(l, $@"^{level} Sobot\.Receiver\.RefusalLog: Refused ([\d,]+) {what} from 127\.0\.0\.1 in the last "))
        .Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{structured}] {exception}");
        }
    }
}
