namespace SobotPS
{
    /// <summary>What Sync-SobotTemplate found or did for one definition.</summary>
    public sealed class SobotTemplateSyncResult
    {
        internal SobotTemplateSyncResult(string name, string language, SobotTemplateSyncAction action, SobotTemplateStatus? status, string[] differences)
        {
            Name = name;
            Language = language;
            Action = action;
            Status = status;
            Differences = differences;
        }

        public string Name { get; }
        public string Language { get; }
        public SobotTemplateSyncAction Action { get; }
        /// <summary>The account's status for it; Pending for one just created, null when not created.</summary>
        public SobotTemplateStatus? Status { get; }
        /// <summary>For Drift: the definition fields that differ (Body, Footer, ...).</summary>
        public string[] Differences { get; }
    }
}
