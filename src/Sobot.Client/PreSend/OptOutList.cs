using System;
using System.Collections.Generic;
using Sobot.Client.Receiver;
using Sobot.Client.Validation;

namespace Sobot.Client.PreSend
{
    /// <summary>
    /// The numbers that asked not to be messaged, as read from one receiver at one time, keyed by
    /// <see cref="PhoneNumberNormalizer.CanonicalKey"/> so that a number matches however it was written.
    /// </summary>
    public sealed class OptOutList
    {
        private readonly Dictionary<string, ReceiverOptOut> _byNumber = new Dictionary<string, ReceiverOptOut>(StringComparer.Ordinal);

        public OptOutList(IEnumerable<ReceiverOptOut> optOuts, DateTimeOffset readAt, OptOutListSource source)
        {
            if (optOuts is null) throw new ArgumentNullException(nameof(optOuts));
            foreach (var o in optOuts) _byNumber[PhoneNumberNormalizer.CanonicalKey(o.CustomerNumber)] = o;
            ReadAt = readAt;
            Source = source;
        }

        /// <summary>When the list was read from the receiver (for a copy from disk: when that copy was read).</summary>
        public DateTimeOffset ReadAt { get; }

        public OptOutListSource Source { get; }

        public int Count => _byNumber.Count;

        public IEnumerable<ReceiverOptOut> Items => _byNumber.Values;

        /// <summary>The number's opt-out, or null when it is not on the list.</summary>
        public ReceiverOptOut? Find(string customerNumber) =>
            _byNumber.TryGetValue(PhoneNumberNormalizer.CanonicalKey(customerNumber), out var found) ? found : null;
    }
}
