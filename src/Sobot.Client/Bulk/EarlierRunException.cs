using System;

namespace Sobot.Client.Bulk
{
    /// <summary>A row an earlier run of the journal settled (refused for good, or left unknown) and that this run therefore did not send.</summary>
    public sealed class EarlierRunException : Exception
    {
        public EarlierRunException(JournalState earlierState, string message) : base(message)
        {
            EarlierState = earlierState;
        }

        public JournalState EarlierState { get; }
    }
}
