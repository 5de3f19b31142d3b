namespace Sobot.Emulator;

public sealed record RequestLogEntry(DateTimeOffset Time, string Method, string Path, int Status, string? RetryAfter, string? UserAgent);
