namespace Sobot.Emulator;

/// <summary>A request body refused with a 400 and this message.</summary>
public sealed class BadRequestException(string message) : Exception(message);
