namespace SobotPS
{
    /// <summary>What the connection last saw of its webhook receiver.</summary>
    public enum SobotReceiverState
    {
        /// <summary>No receiver is connected.</summary>
        None,
        /// <summary>It answered the last call made to it.</summary>
        Available,
        /// <summary>The last call could not use it (not reachable, its store down, the key refused): sends go on with the opt-out list kept on disk.</summary>
        Unavailable,
    }
}
