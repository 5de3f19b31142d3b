namespace SobotPS
{
    /// <summary>What Add-SobotOptOut or Remove-SobotOptOut did to a number.</summary>
    public enum SobotOptOutChangeKind
    {
        /// <summary>Put on the list.</summary>
        Added,
        /// <summary>Already on the list: its record now says it was set by hand, as of now.</summary>
        AlreadyThere,
        /// <summary>Taken off the list.</summary>
        Removed,
        /// <summary>Not on the list: nothing to take off.</summary>
        WasNotThere,
    }
}
