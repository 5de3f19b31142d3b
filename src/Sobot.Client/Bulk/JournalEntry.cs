using System;

namespace Sobot.Client.Bulk
{
    /// <summary>The latest state of one row of a journal.</summary>
    public sealed class JournalEntry
    {
        public JournalEntry(string key, JournalState state, string? customerNumber, string? messageId, string? error, bool retryable, DateTimeOffset time)
            : this(key, state, customerNumber, messageId, error, retryable, time, null, false)
        {
        }

        internal JournalEntry(string key, JournalState state, string? customerNumber, string? messageId, string? error, bool retryable, DateTimeOffset time, string? rowId, bool refused)
        {
            Key = key;
            State = state;
            CustomerNumber = customerNumber;
            MessageId = messageId;
            Error = error;
            Retryable = retryable;
            Time = time;
            RowId = rowId;
            Refused = refused;
        }

        /// <summary>Identifies the row: a hash of what would be sent, and its occurrence among identical rows.</summary>
        public string Key { get; }
        public JournalState State { get; }
        public string? CustomerNumber { get; }
        public string? MessageId { get; }
        public string? Error { get; }
        /// <summary>For Failed: the server certainly did not process it (429/503 after every retry, 401, stopped before sending), so a re-run sends it again.</summary>
        public bool Retryable { get; }
        public DateTimeOffset Time { get; }
        /// <summary>Identifies the input row (its values and occurrence), so a row refused once and fixed later counts once.</summary>
        public string? RowId { get; }
        /// <summary>Refused before anything was sent (an invalid number, a limit, a template mismatch).</summary>
        public bool Refused { get; }
        /// <summary>
        /// What became of the message after Sobot accepted it (joined from a webhook receiver); null when not
        /// joined, or for a row that was never accepted.
        /// </summary>
        public DeliveryState? Delivery { get; internal set; }
        public DateTimeOffset? DeliveredAt { get; internal set; }
        public DateTimeOffset? ReadAt { get; internal set; }
        /// <summary>WhatsApp's code and title of a failed delivery.</summary>
        public string? FailureReason { get; internal set; }
        /// <summary>The customer wrote to us after the send (joined from a webhook receiver); null when not joined.</summary>
        public bool? Replied { get; internal set; }

        /// <summary>The row repeats an identical earlier row of the same run.</summary>
        public bool Duplicate => RowKeys.Occurrence(Key) > 1;
    }
}
