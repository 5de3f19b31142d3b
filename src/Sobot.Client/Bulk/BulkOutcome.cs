using System;
using Sobot.Client.Models.Requests;
using Sobot.Client.Models.Responses;

namespace Sobot.Client.Bulk
{
    public enum BulkOutcomeKind
    {
        Sent,
        /// <summary>Not delivered: refused before sending, refused by Sobot, or stopped before it went out.</summary>
        Failed,
        /// <summary>May or may not have been delivered: not retried, and not resent by a re-run without -RetryUnknown.</summary>
        Unknown,
        /// <summary>Not sent on purpose: see <see cref="BulkSkipReason"/>.</summary>
        Skipped,
    }

    public enum BulkSkipReason
    {
        None,
        /// <summary>Sent by an earlier run of the same journal.</summary>
        SentEarlier,
        /// <summary>Identical to an earlier row of this run, with SkipDuplicates.</summary>
        Duplicate,
        /// <summary>Only shown (-WhatIf), or declined at a -Confirm prompt.</summary>
        NotConfirmed,
        /// <summary>The number opted out (it said STOP): nothing is sent to it.</summary>
        OptedOut,
    }

    /// <summary>What became of one row.</summary>
    public sealed class BulkOutcome
    {
        internal BulkOutcome(SendMessageRequest? request, string? customerNumber, object? state, BulkOutcomeKind kind, MessageResponse? response, Exception? error,
            string? previousMessageId = null, BulkSkipReason skipReason = BulkSkipReason.None)
        {
            Request = request;
            CustomerNumber = request?.CustomerNumber ?? customerNumber;
            State = state;
            Kind = kind;
            Response = response;
            Error = error;
            PreviousMessageId = previousMessageId;
            SkipReason = skipReason;
            CompletedAt = DateTimeOffset.Now;
        }

        /// <summary>The request, or null for a row refused before one could be built.</summary>
        public SendMessageRequest? Request { get; }
        public string? CustomerNumber { get; }
        public object? State { get; }
        public BulkOutcomeKind Kind { get; }
        public MessageResponse? Response { get; }
        public Exception? Error { get; }
        /// <summary>For Skipped: the message id the earlier run got.</summary>
        public string? PreviousMessageId { get; }
        public BulkSkipReason SkipReason { get; }
        public DateTimeOffset CompletedAt { get; }
    }
}
