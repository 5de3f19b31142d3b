using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Models.Requests;
using Sobot.Client.Receiver;
using Sobot.Client.Templates;

namespace Sobot.Client.PreSend
{
    /// <summary>
    /// The checks every message passes before it goes out, in one place: the opt-out list (read once per run from the
    /// webhook receiver, or, while it cannot be reached, the copy kept on disk from the last time it could), the
    /// 24-hour window of free-form messages (asked once per number per run), and the fallback template for a closed
    /// window. A receiver that cannot be reached never stops a send unless the run asked for that
    /// (<see cref="PreSendOptions.RequireOptOutList"/> with no list on disk): the run is told once
    /// (<see cref="TryTakeNotice"/>) and goes on as asked, since Sobot itself enforces the window.
    /// Rows are checked one after another (one caller); notices may be taken from any thread.
    /// </summary>
    public sealed class PreSendStep
    {
        private readonly SobotClient _client;
        private readonly SobotReceiverClient? _receiver;
        private readonly PreSendOptions _options;
        private readonly Dictionary<string, ConversationWindow> _windows = new Dictionary<string, ConversationWindow>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<PreSendNotice> _notices = new ConcurrentQueue<PreSendNotice>();
        private bool _receiverDown;

        public PreSendStep(SobotClient client, SobotReceiverClient? receiver, PreSendOptions? options = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _receiver = receiver;
            _options = options ?? new PreSendOptions();
        }

        /// <summary>The run's opt-out list; null without a receiver, or when none could be read or found on disk.</summary>
        public OptOutList? OptOuts { get; private set; }

        /// <summary>The receiver's failure in this run, or null while it answers (or when there is none).</summary>
        public SobotReceiverException? ReceiverProblem { get; private set; }

        /// <summary>True once the receiver answered in this run.</summary>
        public bool ReceiverAnswered { get; private set; }

        public bool TryTakeNotice(out PreSendNotice notice) => _notices.TryDequeue(out notice!);

        /// <summary>
        /// Reads the opt-out list: from the receiver (and keeps it on disk), else from disk, else none. Throws
        /// <see cref="OptOutListUnavailableException"/> when the run requires a list and none can be had.
        /// </summary>
        public async Task StartAsync(CancellationToken cancellationToken = default)
        {
            if (_receiver is null) return;
            var uri = _receiver.QueryUri;
            IReadOnlyList<ReceiverOptOut> read;
            try
            {
                read = await _receiver.GetOptOutsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (Outage(failure) is { } ex)
            {
                Down(ex);
                var kept = _options.Cache?.Load(uri);
                if (kept != null)
                {
                    OptOuts = kept;
                    var age = _options.Clock() - kept.ReadAt;
                    _notices.Enqueue(new PreSendNotice(PreSendNoticeKind.OptOutListFromDisk,
                        $"{Sentence(ex)} Using the opt-out list read from it {Sobot.Client.Receiver.Durations.Describe(age)} ago ({kept.ReadAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC, {Numbers(kept.Count)}): " +
                        "numbers that opted out since then are not known. The 24-hour window is not checked; Sobot refuses free-form messages outside it.",
                        uri, ex, kept, age));
                    return;
                }
                if (_options.RequireOptOutList) throw new OptOutListUnavailableException(uri, ex);
                _notices.Enqueue(new PreSendNotice(PreSendNoticeKind.NoOptOutList,
                    $"{Sentence(ex)} No opt-out list from it was ever kept on this machine, so messages go out without the opt-out check (a number that said STOP may be messaged). " +
                    "The 24-hour window is not checked; Sobot refuses free-form messages outside it.",
                    uri, ex));
                return;
            }
            ReceiverAnswered = true;
            OptOuts = new OptOutList(read, _options.Clock(), OptOutListSource.Receiver);
            Keep(OptOuts);
        }

        /// <summary>Keeps a list just read from the receiver on disk; a disk that refuses is told once, and the run goes on.</summary>
        private void Keep(OptOutList list)
        {
            var cache = _options.Cache;
            if (cache is null || _receiver is null) return;
            try
            {
                cache.Save(_receiver.QueryUri, list);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _notices.Enqueue(new PreSendNotice(PreSendNoticeKind.OptOutListNotKept,
                    $"Could not keep the opt-out list on disk in {cache.Folder} ({ex.Message.TrimEnd('.')}); if the receiver becomes unreachable, sends will use an older copy or none.",
                    _receiver.QueryUri, ex));
            }
        }

        /// <summary>
        /// Decides one row: skip an opted-out number (unless included), refuse a free-form message to a closed window
        /// or send the fallback template instead, else send as asked. <paramref name="fallbackBodyParameters"/> are
        /// the fallback template's body values for this row.
        /// </summary>
        public async Task<PreSendDecision> CheckAsync(SendMessageRequest request, IReadOnlyList<string?>? fallbackBodyParameters = null, CancellationToken cancellationToken = default)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var optOut = OptOuts?.Find(request.CustomerNumber);
            if (optOut != null && !_options.IncludeOptedOut)
                return PreSendDecision.Skip(request, optOut, new SobotOptedOutException(request.CustomerNumber, optOut.Since, optOut.Source));
            if (request is TemplateMessageRequest || _options.SkipWindowCheck || _receiver is null || _receiverDown)
                return PreSendDecision.Send(request, optOut);

            var window = await WindowAsync(request.CustomerNumber, cancellationToken).ConfigureAwait(false);
            if (window is null || window.IsOpen) return PreSendDecision.Send(request, optOut);
            if (_options.FallbackTemplate is null)
                return PreSendDecision.Refuse(request, new SobotWindowClosedException(request.CustomerNumber, window.LastInboundAt, window.ExpiresAt), optOut);
            try
            {
                var values = new TemplateSendValues { TemplateName = _options.FallbackTemplate, BodyParameters = fallbackBodyParameters ?? Array.Empty<string?>() };
                var plan = await _client.PlanTemplateMessageAsync(request.CustomerNumber, request.CustomerName, values, cancellationToken).ConfigureAwait(false);
                return PreSendDecision.Send(plan.Request, optOut, fellBack: true, templateWarning: plan.Warning);
            }
            catch (SobotException ex)
            {
                return PreSendDecision.Refuse(request, ex, optOut);
            }
        }

        /// <summary>The number's window, asked once per run; null when the receiver stopped answering (told once, then not asked again).</summary>
        private async Task<ConversationWindow?> WindowAsync(string number, CancellationToken cancellationToken)
        {
            if (_windows.TryGetValue(number, out var known)) return known;
            IReadOnlyList<ReceiverLastInbound> last;
            try
            {
                last = await _receiver!.GetLastInboundAsync(new[] { number }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (Outage(failure) is { } ex)
            {
                Down(ex);
                _notices.Enqueue(new PreSendNotice(PreSendNoticeKind.WindowUnchecked,
                    $"{Sentence(ex)} The 24-hour window is not checked for the rest of this run: messages go as asked, and Sobot refuses free-form ones outside the window.",
                    _receiver!.QueryUri, ex));
                return null;
            }
            ReceiverAnswered = true;
            string key = Validation.PhoneNumberNormalizer.CanonicalKey(number);
            ReceiverLastInbound? mine = null;
            foreach (var l in last)
                if (Validation.PhoneNumberNormalizer.CanonicalKey(l.CustomerNumber) == key) mine = l;
            var window = ConversationWindow.Compute(number, mine, _options.Clock());
            _windows[number] = window;
            return window;
        }

        /// <summary>
        /// A failure of the receiver as an outage: its own errors, and an answer that is not JSON (a proxy's error
        /// page), which would otherwise end the run; null for anything else (Ctrl+C, a bug), which is not ours to hide.
        /// </summary>
        private SobotReceiverException? Outage(Exception failure) =>
            failure as SobotReceiverException
            ?? (failure is System.Text.Json.JsonException json
                ? new SobotReceiverException(200, $"The webhook receiver at {_receiver!.QueryUri} answered with something that is not JSON ({json.Message.TrimEnd('.')}); is a proxy in front of it?", json)
                : null);

        private void Down(SobotReceiverException ex)
        {
            _receiverDown = true;
            ReceiverProblem = ex;
        }

        private static string Sentence(Exception ex)
        {
            string m = ex.Message.Trim();
            return m.EndsWith(".", StringComparison.Ordinal) ? m : m + ".";
        }

        private static string Numbers(int count) => count == 1 ? "1 number" : $"{count} numbers";
    }
}
