using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Http;
using Sobot.Client.Webhooks;

namespace Sobot.Client.Receiver
{
    /// <summary>
    /// The webhook receiver's query API: events after a cursor (with long polling), the latest status of sent
    /// messages, consumer cursors, the opt-out list, customers' last inbound messages and health. Thread-safe; the key goes on each request and in no message.
    /// </summary>
    public sealed class SobotReceiverClient : IDisposable
    {
        public const int MaximumWaitMilliseconds = 30000;
        public const int MaximumPageSize = 1000;
        private const int MaximumBodyBytes = 16 * 1024 * 1024;
        private const string ManualPrefix = "manual:";
        private readonly HttpClient _http;
        private readonly Uri _base;
        private readonly Uri _shown;

        public SobotReceiverClient(SobotReceiverOptions options)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            _base = options.QueryUri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? options.QueryUri : new Uri(options.QueryUri.AbsoluteUri + "/");
            // What messages show: the URL without any user information someone may have put in it.
            _shown = new UriBuilder(_base) { UserName = string.Empty, Password = string.Empty }.Uri;
            var handler = options.Handler ?? SobotHttpHandler.Create(null, null, options.SkipCertificateCheck);
            // Per-call time limits: a long poll legitimately waits up to 30 s.
            _http = new HttpClient(handler, disposeHandler: options.Handler is null) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        public SobotReceiverOptions Options { get; }

        public Uri QueryUri => _base;

        /// <summary>The query URL as messages show it: without user information.</summary>
        internal Uri ShownUri => _shown;

        /// <summary>
        /// Events after <paramref name="after"/>, oldest first. With <paramref name="wait"/> above zero and
        /// nothing to return yet, the receiver holds the request until a matching event is stored or the
        /// wait ends (then the page is empty).
        /// </summary>
        public async Task<SobotReceiverEventPage> GetEventsAsync(ReceiverEventFilter? filter, long after, int limit, TimeSpan wait, CancellationToken cancellationToken = default)
        {
            var query = new StringBuilder("v1/events?after=").Append(after.ToString(CultureInfo.InvariantCulture));
            query.Append("&limit=").Append(Math.Max(1, Math.Min(MaximumPageSize, limit)).ToString(CultureInfo.InvariantCulture));
            int waitMs = (int)Math.Max(0, Math.Min(MaximumWaitMilliseconds, wait.TotalMilliseconds));
            if (waitMs > 0) query.Append("&waitMs=").Append(waitMs.ToString(CultureInfo.InvariantCulture));
            if (filter?.Type != null) query.Append("&type=").Append(Uri.EscapeDataString(filter.Type));
            if (filter != null)
                foreach (var field in ReceiverQueryFields.All)
                    foreach (var value in filter.ValuesOf(field) ?? Array.Empty<string>())
                        query.Append('&').Append(field.Name).Append('=').Append(Uri.EscapeDataString(value));
            if (filter?.Since is DateTimeOffset since) query.Append("&since=").Append(since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            var (_, body) = await SendAsync(HttpMethod.Get, query.ToString(), null, TimeSpan.FromMilliseconds(waitMs), cancellationToken).ConfigureAwait(false);
            return SobotReceiverEventReader.ReadPage(body);
        }

        /// <summary>The latest status of one sent message (statuses only move forward), or null when none arrived yet.</summary>
        public async Task<SobotMessageStatus?> GetStatusAsync(string messageId, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(messageId)) throw new SobotValidationException("messageId", "The message id is empty.");
            var (status, body) = await SendAsync(HttpMethod.Get, "v1/status/" + Uri.EscapeDataString(messageId.Trim()), null, TimeSpan.Zero, cancellationToken, allowNotFound: true).ConfigureAwait(false);
            return status == 404 ? null : SobotReceiverEventReader.ReadStatus(body);
        }

        /// <summary>The latest status of many messages, 1,000 ids a request; ids without a status are left out.</summary>
        public async Task<IReadOnlyList<SobotMessageStatus>> GetStatusesAsync(IReadOnlyList<string> messageIds, CancellationToken cancellationToken = default)
        {
            var all = new List<SobotMessageStatus>();
            foreach (var body in await PostInChunksAsync("v1/status/query", "messageIds", messageIds, cancellationToken).ConfigureAwait(false))
                all.AddRange(SobotReceiverEventReader.ReadStatuses(body));
            return all;
        }

        /// <summary>The whole opt-out list, by number.</summary>
        public async Task<IReadOnlyList<ReceiverOptOut>> GetOptOutsAsync(CancellationToken cancellationToken = default)
        {
            var (_, body) = await SendAsync(HttpMethod.Get, "v1/optouts", null, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            var list = new List<ReceiverOptOut>();
            foreach (var o in ArrayOf(document.RootElement, "optOuts")) list.Add(ReadOptOut(o));
            return list;
        }

        /// <summary>The number's opt-out, or null when it is not on the list.</summary>
        public async Task<ReceiverOptOut?> GetOptOutAsync(string customerNumber, CancellationToken cancellationToken = default)
        {
            var (status, body) = await SendAsync(HttpMethod.Get, OptOutPath(customerNumber), null, TimeSpan.Zero, cancellationToken, allowNotFound: true).ConfigureAwait(false);
            if (status == 404) return null;
            using var document = JsonDocument.Parse(body);
            return ReadOptOut(document.RootElement);
        }

        /// <summary>
        /// Puts a number on the list by hand. <paramref name="source"/> says who (e.g. <c>alice@host</c>); it is sent as
        /// <c>manual:&lt;source&gt;</c> unless it already starts so. A number already on the list keeps its first
        /// record, which is returned.
        /// </summary>
        public async Task<ReceiverOptOut> AddOptOutAsync(string customerNumber, string source, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(source)) throw new SobotValidationException("source", "Say who is adding the opt-out (e.g. alice@host).");
            string manual = source.StartsWith(ManualPrefix, StringComparison.Ordinal) ? source : ManualPrefix + source;
            string json = JsonSerializer.Serialize(new Dictionary<string, string> { ["source"] = manual });
            var (_, body) = await SendAsync(HttpMethod.Put, OptOutPath(customerNumber), json, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            return ReadOptOut(document.RootElement);
        }

        /// <summary>Takes a number off the list; true when it was on it.</summary>
        public async Task<bool> RemoveOptOutAsync(string customerNumber, CancellationToken cancellationToken = default)
        {
            var (_, body) = await SendAsync(HttpMethod.Delete, OptOutPath(customerNumber), null, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("removed", out var r) && r.ValueKind == JsonValueKind.True;
        }

        /// <summary>
        /// Each number's last inbound message, 1,000 numbers a request; numbers that never wrote are left out.
        /// <see cref="ConversationWindow.Compute"/> turns an answer into the 24-hour window.
        /// </summary>
        public async Task<IReadOnlyList<ReceiverLastInbound>> GetLastInboundAsync(IReadOnlyList<string> customerNumbers, CancellationToken cancellationToken = default)
        {
            var all = new List<ReceiverLastInbound>();
            foreach (var body in await PostInChunksAsync("v1/windows/query", "customerNumbers", customerNumbers, cancellationToken).ConfigureAwait(false))
            {
                using var document = JsonDocument.Parse(body);
                foreach (var w in ArrayOf(document.RootElement, "windows"))
                    all.Add(new ReceiverLastInbound(Required(w, "customerNumber"), RequiredTime(w, "lastInboundAt"), Required(w, "messageId")));
            }
            return all;
        }

        /// <summary>One POST of <c>{"name":[...]}</c> per 1,000 values (the receiver's batch limit); the answers in order.</summary>
        private async Task<List<string>> PostInChunksAsync(string relative, string name, IReadOnlyList<string> values, CancellationToken cancellationToken)
        {
            var bodies = new List<string>();
            for (int start = 0; start < values.Count; start += MaximumPageSize)
            {
                var chunk = new List<string>();
                for (int i = start; i < Math.Min(values.Count, start + MaximumPageSize); i++) chunk.Add(values[i]);
                string json = JsonSerializer.Serialize(new Dictionary<string, object> { [name] = chunk });
                var (_, body) = await SendAsync(HttpMethod.Post, relative, json, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                bodies.Add(body);
            }
            return bodies;
        }

        private static string OptOutPath(string customerNumber)
        {
            if (string.IsNullOrWhiteSpace(customerNumber)) throw new SobotValidationException("customerNumber", "The customer number is empty.");
            return "v1/optouts/" + Uri.EscapeDataString(customerNumber.Trim());
        }

        private static ReceiverOptOut ReadOptOut(JsonElement o) =>
            new ReceiverOptOut(Required(o, "customerNumber"), RequiredTime(o, "since"), Required(o, "source"));

        private static IEnumerable<JsonElement> ArrayOf(JsonElement root, string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray()
                : throw Malformed(name);

        private static string Required(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Malformed(name);

        private static DateTimeOffset RequiredTime(JsonElement e, string name) => TimeOf(e, name) ?? throw Malformed(name);

        private static SobotReceiverException Malformed(string name) =>
            new SobotReceiverException(200, $"The webhook receiver's answer has no valid '{name}': is it an older receiver? Update it.");

        private static DateTimeOffset? TimeOf(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;

        /// <summary>A consumer's position (0 for one never set) and, while someone reads it, who holds its lease.</summary>
        public async Task<ReceiverConsumer> GetConsumerAsync(string name, CancellationToken cancellationToken = default)
        {
            var (_, body) = await SendAsync(HttpMethod.Get, ConsumerPath(name), null, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return ReadConsumer(body);
        }

        /// <summary>
        /// Moves a consumer's cursor (forward or back). With <paramref name="holder"/>, as the reader holding its lease;
        /// without, only while nobody holds one. Another reader's live lease is a <see cref="SobotConsumerBusyException"/>.
        /// </summary>
        public async Task<ReceiverConsumer> SetConsumerAsync(string name, long position, string? holder = null, CancellationToken cancellationToken = default)
        {
            if (position < 0) throw new SobotValidationException("position", "A consumer's position is a seq: a whole number, 0 or more.");
            var fields = new Dictionary<string, object> { ["position"] = position };
            if (holder != null) fields["holder"] = holder;
            var (_, body) = await SendAsync(HttpMethod.Put, ConsumerPath(name), JsonSerializer.Serialize(fields), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return ReadConsumer(body);
        }

        /// <summary>Every consumer the receiver keeps, by name.</summary>
        public async Task<IReadOnlyList<ReceiverConsumer>> GetConsumersAsync(CancellationToken cancellationToken = default)
        {
            var (_, body) = await SendAsync(HttpMethod.Get, "v1/consumers", null, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            var list = new List<ReceiverConsumer>();
            foreach (var c in ArrayOf(document.RootElement, "consumers")) list.Add(ReadConsumer(c));
            return list;
        }

        /// <summary>
        /// Takes (or renews) the lease that makes <paramref name="holder"/> the consumer's one reader for <paramref name="ttl"/>.
        /// <paramref name="description"/> tells others who reads (e.g. <c>alice@web01 pid 4242</c>). Another reader's
        /// live lease is a <see cref="SobotConsumerBusyException"/> naming it. Null from a receiver too old to keep leases.
        /// </summary>
        public async Task<ReceiverConsumer?> LeaseConsumerAsync(string name, string holder, string description, TimeSpan ttl, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(holder)) throw new SobotValidationException("holder", "A lease needs a holder id.");
            string json = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["holder"] = holder,
                ["description"] = description ?? string.Empty,
                ["ttlMs"] = (long)Math.Max(1, ttl.TotalMilliseconds),
            });
            var (status, body) = await SendAsync(HttpMethod.Post, ConsumerPath(name) + "/lease", json, TimeSpan.Zero, cancellationToken, allowNotFound: true).ConfigureAwait(false);
            return status == 404 ? null : ReadConsumer(body);
        }

        /// <summary>Gives up <paramref name="holder"/>'s lease (nothing happens when it does not hold it).</summary>
        public async Task ReleaseConsumerAsync(string name, string holder, CancellationToken cancellationToken = default)
        {
            await SendAsync(HttpMethod.Delete, ConsumerPath(name) + "/lease?holder=" + Uri.EscapeDataString(holder), null, TimeSpan.Zero, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        }

        /// <summary>Removes a consumer (its next reader starts from the beginning); false when there was none. A live lease is a <see cref="SobotConsumerBusyException"/>.</summary>
        public async Task<bool> DeleteConsumerAsync(string name, CancellationToken cancellationToken = default)
        {
            var (status, body) = await SendAsync(HttpMethod.Delete, ConsumerPath(name), null, TimeSpan.Zero, cancellationToken, allowNotFound: true).ConfigureAwait(false);
            if (status == 404) return false;
            try
            {
                using var document = JsonDocument.Parse(body);
                return !(document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("removed", out var r) && r.ValueKind == JsonValueKind.False);
            }
            catch (JsonException)
            {
                return true; // 204: no body
            }
        }

        /// <summary><c>GET /healthz</c>: a 503 (store unreachable) is an answer here, not an exception.</summary>
        public async Task<ReceiverHealth> GetHealthAsync(CancellationToken cancellationToken = default)
        {
            var (status, body) = await SendAsync(HttpMethod.Get, "healthz", null, TimeSpan.Zero, cancellationToken, allowUnavailable: true).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            bool reachable = status == 200 && root.TryGetProperty("storeReachable", out var r) && r.ValueKind == JsonValueKind.True;
            long events = root.TryGetProperty("events", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt64() : 0;
            long last = root.TryGetProperty("lastSeq", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt64() : 0;
            return new ReceiverHealth(reachable, events, last, TimeOf(root, "lastEventAt"));
        }

        private static string ConsumerPath(string name)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
                throw new SobotValidationException("consumer", "A consumer name is 1 to 100 characters of A-Z a-z 0-9 . _ -.");
            foreach (char c in name)
                if (!(char.IsLetterOrDigit(c) && c < 128) && c != '.' && c != '_' && c != '-')
                    throw new SobotValidationException("consumer", $"The consumer name '{name}' may hold only A-Z a-z 0-9 . _ -.");
            return "v1/consumers/" + name;
        }

        private static ReceiverConsumer ReadConsumer(string body)
        {
            using var document = JsonDocument.Parse(body);
            return ReadConsumer(document.RootElement);
        }

        private static ReceiverConsumer ReadConsumer(JsonElement c) =>
            new ReceiverConsumer(Required(c, "name"),
                c.TryGetProperty("position", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt64() : 0,
                TimeOf(c, "updatedAt"), TextOf(c, "holder"), TextOf(c, "description"), TimeOf(c, "leaseUntil"));

        private static string? TextOf(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private async Task<(int Status, string Body)> SendAsync(HttpMethod method, string relative, string? json, TimeSpan wait, CancellationToken cancellationToken,
            bool allowNotFound = false, bool allowUnavailable = false)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(Options.Timeout + wait);
            using var request = new HttpRequestMessage(method, new Uri(_base, relative));
            request.Headers.TryAddWithoutValidation("x-receiver-key", RevealKey());
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
            if (json != null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            string path = relative.Split('?')[0];
            var shown = new Uri(_shown, path);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException || ex is System.IO.IOException)
            {
                string reason = ex is OperationCanceledException ? "it did not answer in time" : Innermost(ex).Message.TrimEnd('.');
                string what = ex is OperationCanceledException ? "did not answer in time" : "could not be reached (" + reason + ")";
                throw new SobotReceiverException(0, $"The webhook receiver at {_shown} {what}.", ex, shown, reason);
            }
            using (response)
            {
                int status = (int)response.StatusCode;
                string body;
                try
                {
                    body = await BoundedBody.ReadAsync(response.Content, MaximumBodyBytes, Options.Timeout + wait, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    throw new SobotReceiverException(0, $"The webhook receiver at {_shown} answered {status} but its body could not be read ({ex.Message}).", ex, shown,
                        $"its answer ({status}) could not be read");
                }
                if (status >= 200 && status < 300) return (status, body);
                if (status == 404 && allowNotFound) return (status, body);
                if (status == 503 && allowUnavailable) return (status, body);
                string message = MessageOf(body);
                if (status == 409 && path.StartsWith("v1/consumers/", StringComparison.Ordinal))
                    throw new SobotConsumerBusyException(path.Split('/')[2], message.Length > 0 ? message : $"The consumer '{path.Split('/')[2]}' is being read by another reader.");
                string advice = status == 401 ? " The query key (x-receiver-key) was missing or wrong: use the receiver's query key."
                    : status == 405 ? " This receiver does not know that call: update it." : string.Empty;
                string text = $"The webhook receiver answered {status} to {method.Method} /{path}{(message.Length > 0 ? ": " + message : ".")}{advice}";
                string reason = message.Length > 0 ? $"it answered {status}: {message.TrimEnd('.')}" : $"it answered {status}";
                if (status == 429) throw new SobotReceiverBusyException(text, RetryAfter(response), shown, reason);
                throw new SobotReceiverException(status, text, null, shown, reason);
            }
        }

        /// <summary>A 429's Retry-After, in seconds or as a date; 1 s when it has none, at most a minute.</summary>
        private static TimeSpan RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            var after = header?.Delta ?? (header?.Date is DateTimeOffset date ? date - DateTimeOffset.UtcNow : TimeSpan.FromSeconds(1));
            return after < TimeSpan.Zero ? TimeSpan.Zero : after > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : after;
        }

        private static string MessageOf(string body)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                    ? m.GetString() ?? string.Empty : string.Empty;
            }
            catch (JsonException)
            {
                return string.Empty;
            }
        }

        private string RevealKey() => SecureText.Reveal(Options.Key);

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        public void Dispose() => _http.Dispose();
    }
}
