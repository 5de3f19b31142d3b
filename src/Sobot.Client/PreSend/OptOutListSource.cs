namespace Sobot.Client.PreSend
{
    /// <summary>Where a run's opt-out list came from.</summary>
    public enum OptOutListSource
    {
        /// <summary>Read from the webhook receiver at the start of the run.</summary>
        Receiver,
        /// <summary>The receiver could not be read: the copy kept on disk from the last time it was.</summary>
        Disk,
    }
}
