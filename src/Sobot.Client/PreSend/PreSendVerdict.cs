namespace Sobot.Client.PreSend
{
    public enum PreSendVerdict
    {
        /// <summary>Send <see cref="PreSendDecision.Request"/> (the row's message, or the fallback template).</summary>
        Send,
        /// <summary>Not sent on purpose: the number opted out. Counted as skipped.</summary>
        Skip,
        /// <summary>Cannot go: the window is closed and no fallback could be made. Counted as failed.</summary>
        Refuse,
    }
}
