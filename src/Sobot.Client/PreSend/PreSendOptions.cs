using System;

namespace Sobot.Client.PreSend
{
    /// <summary>What a run asked of the checks made before each message goes out.</summary>
    public sealed class PreSendOptions
    {
        /// <summary>Send to numbers on the opt-out list too (the decision says so, so the caller can warn).</summary>
        public bool IncludeOptedOut { get; set; }

        /// <summary>Do not ask the receiver about the 24-hour window; Sobot decides.</summary>
        public bool SkipWindowCheck { get; set; }

        /// <summary>
        /// Fail closed: when the list cannot be read from the receiver and no copy was ever kept on disk, the run
        /// starts nothing (<see cref="OptOutListUnavailableException"/>) instead of sending unchecked.
        /// </summary>
        public bool RequireOptOutList { get; set; }

        /// <summary>An approved template to send instead of a free-form message whose window is closed.</summary>
        public string? FallbackTemplate { get; set; }

        /// <summary>Where the last list read from each receiver is kept; null keeps none.</summary>
        public OptOutCache? Cache { get; set; }

        /// <summary>The clock (tests).</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;
    }
}
