namespace Sobot.Emulator;

/// <summary>The last status an accepted message reaches.</summary>
public enum MessageOutcome { Delivered, Read, Failed }
