namespace Sobot.Receiver.Store;

/// <summary>What an inbound message asks of the suppression list, decided at ingest by <see cref="ConsentWords"/>.</summary>
public enum ConsentChange
{
    None,
    /// <summary>The whole text was a stop word: put the number on the list.</summary>
    OptOut,
    /// <summary>The whole text was a start word: take the number off the list.</summary>
    OptIn,
}
