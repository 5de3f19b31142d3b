using System;
using System.Collections.Generic;
using System.Linq;

namespace Sobot.Client.Receiver
{
    /// <summary>Which events <c>GET /v1/events</c> returns.</summary>
    public sealed class ReceiverEventFilter
    {
        /// <summary>inbound, status or unknown; null for all.</summary>
        public string? Type { get; set; }

        /// <summary>
        /// The values of the queryable fields (<see cref="ReceiverQueryFields"/>) to filter on, by field name: each value
        /// is sent as given (the receiver normalises it), and an event matches when its field holds one of them.
        /// </summary>
        public IDictionary<string, IReadOnlyCollection<string>> Values { get; } = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);

        /// <summary>Events of any of these customers (canonical numbers, <see cref="Validation.PhoneNumberNormalizer.Canonical"/>); null or empty for all. A view of <see cref="Values"/>.</summary>
        public IReadOnlyCollection<string>? CustomerNumbers
        {
            get => ValuesOf(ReceiverQueryFields.CustomerNumber);
            set => Set(ReceiverQueryFields.CustomerNumber, value);
        }

        /// <summary>A view of <see cref="Values"/>.</summary>
        public string? MessageId
        {
            get => ValuesOf(ReceiverQueryFields.MessageId)?.FirstOrDefault();
            set => Set(ReceiverQueryFields.MessageId, value == null ? null : new[] { value });
        }

        /// <summary>Events whose effective time (WhatsApp's timestamp, never later than their arrival) is at or after this.</summary>
        public DateTimeOffset? Since { get; set; }

        /// <summary>The values given for the field, or null.</summary>
        public IReadOnlyCollection<string>? ValuesOf(ReceiverQueryField field) =>
            Values.TryGetValue((field ?? throw new ArgumentNullException(nameof(field))).Name, out var values) ? values : null;

        /// <summary>Filters on the field's values (null: not on this field).</summary>
        public void Set(ReceiverQueryField field, IReadOnlyCollection<string>? values)
        {
            if (field == null) throw new ArgumentNullException(nameof(field));
            if (values == null) Values.Remove(field.Name); else Values[field.Name] = values;
        }
    }
}
