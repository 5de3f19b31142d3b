using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Sobot.Client.Http
{
    /// <summary>
    /// How every call travels: one reused HttpClient over <see cref="SobotHttpHandler"/> (no redirect, TLS 1.2 at least), the keys added to each
    /// request (never to shared default headers), pacing, safe retries and their classification, the
    /// <c>{message, code}</c> envelope turned into <see cref="SobotApiException"/>, bounded bodies, and
    /// tracing with the keys redacted. Knows nothing of the API's operations (<see cref="SobotClient"/> does).
    /// </summary>
    internal sealed class SobotTransport : IDisposable
    {
        private readonly HttpClient _http;
        private readonly Uri _base;

        public SobotTransport(SobotClientOptions options)
        {
            Options = options;
            _base = EnsureTrailingSlash(options.BaseUri);
            var handler = options.Handler ?? SobotHttpHandler.Create(options.Proxy, options.ProxyCredential, options.SkipCertificateCheck);
            _http = new HttpClient(handler, disposeHandler: options.Handler is null) { Timeout = options.Timeout };
            Pacer = new AdaptivePacer(options.MaxMessagesPerSecond);
        }

        public SobotClientOptions Options { get; }

        public Uri BaseUri => _base;

        /// <summary>The pacing every call goes through (the account's rate limit is shared).</summary>
        public AdaptivePacer Pacer { get; }

        /// <summary>
        /// A path under the base URI, or a validation error: the keys go only to the configured host. Refuses
        /// absolute URIs, network paths (<c>//host</c>, <c>\\host</c>, <c>\/host</c>), backslashes and dot segments
        /// that climb out of the base path.
        /// </summary>
        internal string OnBaseUri(string? path)
        {
            string given = (path ?? string.Empty).Trim();
            string relative = given.TrimStart('/');
            string refusal = $"The path '{given}' must be a path on the connection's base URI {_base}, such as /api/template/?status=1; the keys are sent to no other address.";
            if (relative.IndexOf('\\') >= 0 || relative.StartsWith("/", StringComparison.Ordinal) || given.StartsWith("//", StringComparison.Ordinal)
                || relative.IndexOf("://", StringComparison.Ordinal) >= 0 || Uri.TryCreate(relative, UriKind.Absolute, out _))
                throw new SobotValidationException("path", refusal);
            foreach (char c in relative)
                if (char.IsControl(c)) throw new SobotValidationException("path", refusal);
            if (!Uri.TryCreate(_base, relative, out var full)
                || !string.Equals(full.Scheme, _base.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(full.Authority, _base.Authority, StringComparison.OrdinalIgnoreCase)
                || !full.AbsolutePath.StartsWith(_base.AbsolutePath, StringComparison.Ordinal))
                throw new SobotValidationException("path", refusal);
            return relative;
        }

        internal readonly struct Exchange
        {
            public Exchange(int status, string body, DateTimeOffset sentAt) { Status = status; Body = body; SentAt = sentAt; }
            public int Status { get; }
            public string Body { get; }
            /// <summary>When the attempt that got this answer went out (this machine's clock).</summary>
            public DateTimeOffset SentAt { get; }
        }

        /// <summary>
        /// One call with pacing and safe retries: 429 and 503 (after Retry-After, else exponential backoff with
        /// jitter) and connection failures that happened before the request was sent. Nothing the server may
        /// have processed is ever sent twice: a 500, a timeout or a dropped connection is thrown as it is.
        /// </summary>
        internal Task<Exchange> SendAsync(HttpMethod method, string relativePath, string? body, CancellationToken cancellationToken, Func<string, string?>? describe = null, int? maximumRetryCount = null) =>
            SendAsync(method, relativePath, body, new CallTokens(cancellationToken, cancellationToken), describe, maximumRetryCount, null);

        /// <summary>The two ways a call can be stopped: before an attempt goes out, and while it is on the wire.</summary>
        internal readonly struct CallTokens
        {
            public CallTokens(CancellationToken stopStarting, CancellationToken abort) { StopStarting = stopStarting; Abort = abort; }
            public CancellationToken StopStarting { get; }
            public CancellationToken Abort { get; }
        }

        internal async Task<Exchange> SendAsync(HttpMethod method, string relativePath, string? body, CallTokens tokens, Func<string, string?>? describe, int? maximumRetryCount, TimeSpan? deadline)
        {
            int retries = maximumRetryCount ?? Options.MaximumRetryCount;
            var started = Stopwatch.StartNew();
            for (int attempt = 1; ; attempt++)
            {
                await BeforeAttemptAsync(Pacer.WaitAsync(tokens.StopStarting), tokens.StopStarting).ConfigureAwait(false);
                long attemptStarted = Stopwatch.GetTimestamp();
                try
                {
                    var exchange = await SendOnceAsync(method, relativePath, body, tokens.Abort, describe).ConfigureAwait(false);
                    Pacer.OnAnswered(Since(attemptStarted));
                    Pacer.OnAccepted();
                    return exchange;
                }
                catch (SobotApiException ex)
                {
                    ex.Attempts = attempt;
                    if (ex.StatusCode > 0) Pacer.OnAnswered(Since(attemptStarted));
                    if (ex.Kind == SobotErrorKind.RateLimited) Pacer.OnRateLimited();
                    else if (!ex.NotSent && ex.Kind != SobotErrorKind.Unavailable && ex.Kind != SobotErrorKind.Transport) Pacer.OnAccepted();
                    if (!ex.Retryable || attempt > retries) throw;
                    var delay = RetryDelay(ex, attempt, Options.MaximumRetryAfter);
                    if (deadline is TimeSpan limit && started.Elapsed + delay > limit)
                        throw new SobotApiException(ex.Kind, ex.StatusCode, ex.SobotCode, ex.SobotMessage, ex.Method, ex.Path,
                            ex.Message + string.Format(CultureInfo.InvariantCulture, " Gave up after {0} attempt(s): the next retry would pass the {1:0} s timeout.", attempt, limit.TotalSeconds), ex)
                        { NotSent = ex.NotSent, Attempts = attempt, RetryAfter = ex.RetryAfter };
                    Pacer.OnRetryWait(true);
                    try
                    {
                        await BeforeAttemptAsync(Task.Delay(delay, tokens.StopStarting), tokens.StopStarting).ConfigureAwait(false);
                    }
                    finally
                    {
                        Pacer.OnRetryWait(false);
                    }
                }
            }
        }

        private static TimeSpan Since(long timestamp) =>
            TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - timestamp) / (double)Stopwatch.Frequency);

        /// <summary>A wait before an attempt; stopped there, the request has not gone out (this time).</summary>
        private static async Task BeforeAttemptAsync(Task wait, CancellationToken stopStarting)
        {
            try
            {
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (stopStarting.IsCancellationRequested)
            {
                throw new StoppedBeforeSendingException(ex);
            }
        }

        private static readonly Random Jitter = new Random();

        /// <summary>Retry-After when the server gave it (at most <paramref name="maximumRetryAfter"/>), else 0.5 s doubling per attempt, with ±50% jitter, at most 60 s.</summary>
        internal static TimeSpan RetryDelay(SobotApiException ex, int attempt, TimeSpan maximumRetryAfter)
        {
            if (ex.RetryAfter is TimeSpan after && after > TimeSpan.Zero) return after < maximumRetryAfter ? after : maximumRetryAfter;
            double seconds = Math.Min(60, 0.5 * Math.Pow(2, attempt - 1));
            double factor;
            lock (Jitter) factor = 0.5 + Jitter.NextDouble();
            return TimeSpan.FromSeconds(seconds * factor);
        }

        private async Task<Exchange> SendOnceAsync(HttpMethod method, string relativePath, string? body, CancellationToken cancellationToken, Func<string, string?>? describe)
        {
            string tracePath = "/" + relativePath;
            var started = Stopwatch.StartNew();
            // The exchange's stamp: when this attempt went out, on the wall clock (an answer to it cannot come earlier).
            var sentAt = DateTimeOffset.Now;
            using var request = new HttpRequestMessage(method, new Uri(_base, relativePath));
            request.Headers.TryAddWithoutValidation("x-api-key", Options.Credential.AccessKey);
            request.Headers.TryAddWithoutValidation("x-api-secret", Options.Credential.RevealSecret());
            request.Headers.TryAddWithoutValidation("User-Agent", Options.UserAgent);
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
            // Also when a test or caller supplies its own handler: never wait for a 100 Continue (see SobotHttpHandler).
            request.Headers.ExpectContinue = false;
            if (body != null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException || ex is System.IO.IOException)
            {
                if (Tracing) Report(method, tracePath, 0, started.Elapsed, body, null, null);
                bool timedOut = ex is OperationCanceledException;
                bool notSent = !timedOut && TransportFailure.BeforeSending(ex);
                string what = timedOut
                    ? "no response within " + Options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s"
                    : "the connection failed (" + Options.Credential.Redact(Innermost(ex).Message) + ")";
                string consequence = notSent ? "; nothing was sent"
                    : method == HttpMethod.Post || method == HttpMethod.Put ? "; the request may or may not have been processed by Sobot"
                    : string.Empty;
                throw new SobotApiException(SobotErrorKind.Transport, 0, null, null, method.Method, tracePath,
                    $"{method.Method} {tracePath}: {what}{consequence}.", ex) { NotSent = notSent };
            }

            using (response)
            {
                int status = (int)response.StatusCode;
                string text;
                try
                {
                    text = await BoundedBody.ReadAsync(response.Content, Options.MaximumResponseBytes, Options.Timeout, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException || ex is System.IO.IOException)
                {
                    if (Tracing) Report(method, tracePath, status, started.Elapsed, body, null, null);
                    bool tooLarge = ex is BoundedBody.TooLargeException;
                    string what = tooLarge
                        ? $"answered {status} with a body over {Options.MaximumResponseBytes / (1024 * 1024)} MB, more than any documented reply; it was not read"
                        : $"answered {status} but the body could not be read ({Options.Credential.Redact(Innermost(ex).Message)})";
                    var unreadKind = status >= 200 && status < 300 ? SobotErrorKind.UnexpectedResponse : SobotApiException.KindFromStatus(status);
                    bool changes = method == HttpMethod.Post || method == HttpMethod.Put;
                    throw new SobotApiException(unreadKind, status, null, null, method.Method, tracePath,
                        $"{method.Method} {tracePath} {what}{(changes && status < 300 ? "; the request may or may not have been processed" : string.Empty)}.", ex);
                }
                if (status >= 300 && status < 400)
                {
                    if (Tracing) Report(method, tracePath, status, started.Elapsed, body, text, null);
                    string location = response.Headers.Location is Uri to ? (to.IsAbsoluteUri ? to : new Uri(request.RequestUri!, to)).ToString() : "(no Location header)";
                    throw new SobotApiException(SobotErrorKind.Redirected, status, null, null, method.Method, tracePath,
                        $"{method.Method} {tracePath} was redirected ({status}) to {Options.Credential.Redact(location)}. SobotPS does not follow redirects: the keys would go along. Nothing was sent there; if that is the right address, connect with it as the base URI.");
                }
                var (code, message) = ReadEnvelope(text);
                bool success = status >= 200 && status < 300 && (code is null || code < 400);
                if (Tracing) Report(method, tracePath, status, started.Elapsed, body, text, success && describe != null ? describe(text) : null);
                if (success) return new Exchange(status, text, sentAt);

                int effective = status >= 400 ? status : code!.Value;
                var kind = SobotApiException.KindFromStatus(effective);
                string safeMessage = Options.Credential.Redact(message);
                var error = new SobotApiException(kind, effective, code, string.IsNullOrEmpty(safeMessage) ? null : safeMessage,
                    method.Method, tracePath, Describe(kind, effective, response.ReasonPhrase, safeMessage, method, tracePath));
                if (response.Headers.RetryAfter is { } retryAfter)
                    error.RetryAfter = retryAfter.Delta ?? (retryAfter.Date.HasValue ? retryAfter.Date.Value - DateTimeOffset.UtcNow : (TimeSpan?)null);
                throw error;
            }
        }

        private static string Describe(SobotErrorKind kind, int status, string? reason, string message, HttpMethod method, string path)
        {
            string head = $"Sobot answered {status}{(string.IsNullOrEmpty(reason) ? string.Empty : " " + reason)} to {method.Method} {path}";
            string detail = string.IsNullOrEmpty(message) ? string.Empty : ": " + message;
            switch (kind)
            {
                case SobotErrorKind.Unauthorized:
                    return head + detail + ". The access key and secret key were rejected; generate a new pair in the Sobot portal and connect again.";
                case SobotErrorKind.ServerError:
                    return head + detail + (method == HttpMethod.Post || method == HttpMethod.Put ? ". The request may or may not have been processed." : ".");
                default:
                    return head + detail + (detail.EndsWith(".", StringComparison.Ordinal) ? string.Empty : ".");
            }
        }

        private bool Tracing => Options.Trace != null || SobotTrace.HasListener;

        private void Report(HttpMethod method, string path, int status, TimeSpan elapsed, string? requestBody, string? responseBody, string? messageId)
        {
            var e = new SobotTraceEvent(method.Method, path, status, elapsed, requestBody, Options.Credential.Redact(responseBody), messageId);
            Options.Trace?.Invoke(e);
            SobotTrace.Publish(e);
        }

        /// <summary>Reads <c>code</c> and <c>message</c> (or a <c>detail</c>/<c>error</c> text) of any body, tolerating anything.</summary>
        private static (int? Code, string Message) ReadEnvelope(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return (null, string.Empty);
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) return (null, string.Empty);
                int? code = null;
                if (doc.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out int ci)) code = ci;
                foreach (var name in new[] { "message", "detail", "error" })
                    if (doc.RootElement.TryGetProperty(name, out var m) && m.ValueKind == JsonValueKind.String)
                        return (code, m.GetString() ?? string.Empty);
                return (code, string.Empty);
            }
            catch (JsonException)
            {
                // An HTML error page from a proxy: show its start, not all of it.
                string trimmed = text.Trim();
                return (null, trimmed.Length > 200 ? trimmed.Substring(0, 200) + "..." : trimmed);
            }
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        private static Uri EnsureTrailingSlash(Uri uri)
        {
            if (uri is null || !uri.IsAbsoluteUri) throw new ArgumentException("The base URI must be absolute.", nameof(uri));
            return uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
        }

        public void Dispose() => _http.Dispose();
    }
}
