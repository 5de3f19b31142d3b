using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Models.Requests;
using Sobot.Client.Models.Responses;
using Sobot.Client.Http;
using Sobot.Client.Paging;
using Sobot.Client.Templates;
using Sobot.Client.Validation;

namespace Sobot.Client
{
    /// <summary>
    /// The Sobot REST API: one method per documented operation, each building its request, validating it
    /// against the contract and reading the documented answer. How a request travels (keys, pacing, safe
    /// retries, envelope errors, tracing) is <see cref="SobotTransport"/>'s. Thread-safe; every call takes a
    /// CancellationToken.
    /// </summary>
    public sealed class SobotClient : IDisposable
    {
        private readonly SobotTransport _transport;

        public SobotClient(SobotClientOptions options)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            _transport = new SobotTransport(options);
            PhoneNumbers = new PhoneNumberNormalizer(options.DefaultRegion);
            Templates = new TemplateCatalog(this);
        }

        /// <summary>The pacing every call of this client goes through (the account's rate limit is shared).</summary>
        public AdaptivePacer Pacer => _transport.Pacer;

        public SobotClientOptions Options { get; }

        public Uri BaseUri => _transport.BaseUri;

        public PhoneNumberNormalizer PhoneNumbers { get; }

        /// <summary>The account's templates, cached: language lookup and variable counts for template sends.</summary>
        public TemplateCatalog Templates { get; }

        /// <summary>Validates <paramref name="request"/> against the contract's limits, then sends it.</summary>
        public Task<MessageResponse> SendMessageAsync(SendMessageRequest request, CancellationToken cancellationToken = default)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            request.Validate();
            return SendMessageBodyAsync(SobotJson.Serialize(request), null, cancellationToken);
        }

        /// <summary>Sends an already validated and serialized message body (the bulk sender journals the body first).</summary>
        internal Task<MessageResponse> SendMessageBodyAsync(string body, int? maximumRetryCount, CancellationToken cancellationToken) =>
            SendMessageBodyAsync(body, maximumRetryCount, cancellationToken, cancellationToken);

        /// <summary>
        /// As above, with two tokens: <paramref name="stopStarting"/> ends the waits before an attempt (pacing,
        /// retry delays; a <see cref="StoppedBeforeSendingException"/> then says nothing went out), and
        /// <paramref name="abort"/> ends a request already on the wire (its outcome is then unknown).
        /// </summary>
        internal async Task<MessageResponse> SendMessageBodyAsync(string body, int? maximumRetryCount, CancellationToken stopStarting, CancellationToken abort)
        {
            var exchange = await _transport.SendAsync(HttpMethod.Post, "message/", body, new SobotTransport.CallTokens(stopStarting, abort), IdOfMessage, maximumRetryCount, null).ConfigureAwait(false);
            var response = Parse<MessageResponse>(exchange, HttpMethod.Post, "message/");
            if (string.IsNullOrEmpty(response.Data?.Id))
                throw Unexpected(HttpMethod.Post, "message/", exchange.Status, "the success response carried no data.id (message id); the message may or may not have been delivered");
            response.SentAt = exchange.SentAt;
            return response;
        }

        /// <summary><c>POST /api/template/</c>: the template starts pending until Meta approves or rejects it.</summary>
        public async Task<SobotResponse> CreateTemplateAsync(CreateTemplateRequest request, CancellationToken cancellationToken = default)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var exchange = await _transport.SendAsync(HttpMethod.Post, "api/template/", SobotJson.Serialize(request), cancellationToken).ConfigureAwait(false);
            Templates.Invalidate();
            return Parse<SobotResponse>(exchange, HttpMethod.Post, "api/template/");
        }

        /// <summary><c>POST /api/customer</c>. "Customer already exists" comes back as a BadRequest with that message.</summary>
        public async Task<SobotResponse> AddCustomerAsync(CustomerRequest request, CancellationToken cancellationToken = default)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            request.Validate(adding: true);
            var exchange = await _transport.SendAsync(HttpMethod.Post, "api/customer", SobotJson.Serialize(request), cancellationToken).ConfigureAwait(false);
            return Parse<SobotResponse>(exchange, HttpMethod.Post, "api/customer");
        }

        /// <summary><c>PUT /api/customer/&lt;mobile&gt;</c>; labels given replace all earlier labels.</summary>
        public async Task<SobotResponse> UpdateCustomerAsync(string mobile, CustomerRequest request, CancellationToken cancellationToken = default)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            Check.PhoneDigits(mobile, "mobile");
            request.Mobile = null;
            request.Validate(adding: false);
            string path = "api/customer/" + mobile;
            var exchange = await _transport.SendAsync(HttpMethod.Put, path, SobotJson.Serialize(request), cancellationToken).ConfigureAwait(false);
            return Parse<SobotResponse>(exchange, HttpMethod.Put, path);
        }

        /// <summary>
        /// Any authenticated call, for fields the typed methods do not model yet. Returns the status and the
        /// raw body of a success; a failure throws <see cref="SobotApiException"/> like every other call.
        /// </summary>
        public async Task<RawResponse> SendRawAsync(HttpMethod method, string path, string? jsonBody, CancellationToken cancellationToken = default)
        {
            if (method is null) throw new ArgumentNullException(nameof(method));
            string relative = _transport.OnBaseUri(path);
            var exchange = await _transport.SendAsync(method, relative, jsonBody, cancellationToken, IdOfMessage).ConfigureAwait(false);
            return new RawResponse(exchange.Status, exchange.Body);
        }

        /// <summary>Lists one page of templates; <paramref name="status"/> 0 pending, 1 approved, 2 rejected.</summary>
        public async Task<PagedResponse<TemplateRecord>> GetTemplatePageAsync(int? status, int page, CancellationToken cancellationToken = default)
        {
            string path = "api/template/" + Query(("status", status), ("page", page > 1 ? page : (int?)null));
            var exchange = await _transport.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            return Parse<PagedResponse<TemplateRecord>>(exchange, HttpMethod.Get, path);
        }

        public async Task<PagedResponse<CustomerRecord>> GetCustomerPageAsync(int page, CancellationToken cancellationToken = default)
        {
            string path = "api/customer" + Query(("page", page > 1 ? page : (int?)null));
            var exchange = await _transport.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            return Parse<PagedResponse<CustomerRecord>>(exchange, HttpMethod.Get, path);
        }

        /// <summary>Every template, page after page, yielded as each page arrives.</summary>
        public IAsyncEnumerable<TemplateRecord> EnumerateTemplatesAsync(int? status, CancellationToken cancellationToken = default) =>
            Pager.EnumerateAsync<TemplateRecord>((page, token) => GetTemplatePageAsync(status, page, token), cancellationToken);

        public IAsyncEnumerable<CustomerRecord> EnumerateCustomersAsync(CancellationToken cancellationToken = default) =>
            Pager.EnumerateAsync<CustomerRecord>((page, token) => GetCustomerPageAsync(page, token), cancellationToken);

        /// <summary>
        /// Builds a template message from plain values, checked against the account's template: language,
        /// approval, body and header variable counts, media header, dynamic URL button. Returns the request,
        /// or throws <see cref="SobotTemplateException"/> / <see cref="SobotValidationException"/>.
        /// </summary>
        public Task<TemplateSendPlan> PlanTemplateMessageAsync(string customerNumber, string customerName, TemplateSendValues values, CancellationToken cancellationToken = default) =>
            TemplateMessageBuilder.BuildAsync(Templates, customerNumber, customerName, values, cancellationToken);

        /// <summary>One cheap authenticated call; throws <see cref="SobotApiException"/> (Unauthorized for bad keys).</summary>
        /// <remarks>
        /// Retries what is safe to retry (429, 503, a connection refused) like a send does, honouring Retry-After
        /// up to <see cref="SobotClientOptions.MaximumRetryAfter"/>; the whole check, waits included, ends within
        /// <see cref="SobotClientOptions.Timeout"/>.
        /// </remarks>
        public async Task VerifyCredentialsAsync(CancellationToken cancellationToken = default)
        {
            var exchange = await _transport.SendAsync(HttpMethod.Get, "api/template/", null, new SobotTransport.CallTokens(cancellationToken, cancellationToken), null, null, Options.Timeout).ConfigureAwait(false);
            // The check lists the first page of templates anyway: when that is all of them, it fills the template
            // cache, and the first template send needs no round trip of its own.
            var page = Parse<PagedResponse<TemplateRecord>>(exchange, HttpMethod.Get, "api/template/");
            if (string.IsNullOrEmpty(page.Next) && page.Data != null) Templates.Replace(page.Data);
        }

        private T Parse<T>(SobotTransport.Exchange exchange, HttpMethod method, string path) where T : class
        {
            try
            {
                var value = SobotJson.Deserialize<T>(exchange.Body);
                if (value != null) return value;
            }
            catch (JsonException)
            {
            }
            throw Unexpected(method, path, exchange.Status, "the response body is not the documented JSON");
        }

        private static SobotApiException Unexpected(HttpMethod method, string path, int status, string why) =>
            new SobotApiException(SobotErrorKind.UnexpectedResponse, status, null, null, method.Method, "/" + path,
                $"{method.Method} /{path} answered {status} but {why}.");

        private static string? IdOfMessage(string body)
        {
            try { return SobotJson.Deserialize<MessageResponse>(body)?.Data?.Id; }
            catch (JsonException) { return null; }
        }

        private static string Query(params (string Name, int? Value)[] parts)
        {
            var sb = new StringBuilder();
            foreach (var (name, value) in parts)
            {
                if (value is null) continue;
                sb.Append(sb.Length == 0 ? '?' : '&').Append(name).Append('=').Append(value.Value.ToString(CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }

        internal string OnBaseUri(string? path) => _transport.OnBaseUri(path);

        public void Dispose() => _transport.Dispose();
    }
}
