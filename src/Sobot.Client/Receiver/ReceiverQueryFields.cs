using System;
using System.Collections.Generic;
using Sobot.Client.Validation;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// One event field <c>GET /v1/events</c> can filter on by equality: its query-string name, the receiver's column, how a
    /// given value is normalised (null when it is refused), and whether the parameter may be given several times (any of
    /// the values matches). The receiver parses the query, writes the WHERE clause and matches waiting long polls from
    /// this; <see cref="SobotReceiverClient"/> writes the query string from it.
    /// </summary>
    public sealed class ReceiverQueryField
    {
        private readonly Func<string, string?> _normalise;
        private readonly Func<string, string> _refusal;

        internal ReceiverQueryField(string name, string column, bool many, Func<string, string?> normalise, Func<string, string> refusal)
        {
            Name = name;
            Column = column;
            Many = many;
            _normalise = normalise;
            _refusal = refusal;
        }

        /// <summary>The query-string parameter (camel case).</summary>
        public string Name { get; }

        /// <summary>The column of the receiver's events table compared with the value (the shared schema step adds it and its index).</summary>
        public string Column { get; }

        /// <summary>True when the parameter may be given several times (up to <see cref="ReceiverQueryFields.MaxValues"/>), matching any of them.</summary>
        public bool Many { get; }

        /// <summary>The value as the receiver stores it, or null when the text is not a value of this field.</summary>
        public string? Normalise(string text) => _normalise(text);

        /// <summary>Why <see cref="Normalise"/> refused the text (without the parameter's name).</summary>
        public string Refusal(string text) => _refusal(text);
    }

    /// <summary>
    /// The event fields <c>GET /v1/events</c> filters on by equality, declared once, in the order their conditions and
    /// parameters are written. A new queryable field is one line here (with its column in the shared schema step, its
    /// row in docs/receiver.md and, for users, a cmdlet parameter). <c>type</c>, <c>since</c>, <c>after</c>,
    /// <c>limit</c> and <c>waitMs</c> are not event fields and keep their own rules.
    /// </summary>
    public static class ReceiverQueryFields
    {
        /// <summary>Most values one query may give a field that takes several.</summary>
        public const int MaxValues = 1000;

        /// <summary>Events of any of these customers: the number as <see cref="PhoneNumberNormalizer.Canonical"/> writes it.</summary>
        public static ReceiverQueryField CustomerNumber { get; } = new ReceiverQueryField("customerNumber", "customer_number", true,
            PhoneNumberNormalizer.Canonical, NotANumber);

        /// <summary>Events of this message (its inbound event and its statuses), as given.</summary>
        public static ReceiverQueryField MessageId { get; } = new ReceiverQueryField("messageId", "message_id", false,
            text => text, text => $"'{text}' is not a message id.");

        /// <summary>Every queryable field, in the order written.</summary>
        public static IReadOnlyList<ReceiverQueryField> All { get; } = new[] { CustomerNumber, MessageId };

        /// <summary>The one wording of refusing a phone number (the receiver's store and query API use it).</summary>
        public static string NotANumber(string number) =>
            $"'{number}' is not a phone number: up to {PhoneNumberNormalizer.MaxDigits} digits with the country code, optionally with a leading + and spaces, dashes or brackets.";
    }
}
