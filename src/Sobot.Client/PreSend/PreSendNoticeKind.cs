namespace Sobot.Client.PreSend
{
    /// <summary>What a run should be told once (<see cref="PreSendNotice"/>).</summary>
    public enum PreSendNoticeKind
    {
        /// <summary>The receiver could not be read; the run uses the list kept on disk.</summary>
        OptOutListFromDisk,
        /// <summary>The receiver could not be read and no list was ever kept: messages go out without the opt-out check.</summary>
        NoOptOutList,
        /// <summary>The receiver stopped answering during the run: the 24-hour window is no longer checked.</summary>
        WindowUnchecked,
        /// <summary>The list was read but could not be kept on disk.</summary>
        OptOutListNotKept,
    }
}
