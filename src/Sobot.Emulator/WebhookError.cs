namespace Sobot.Emulator;

/// <summary>A webhook post that failed: when, and why.</summary>
public sealed record WebhookError(DateTimeOffset Time, string Reason);
