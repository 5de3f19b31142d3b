using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client;

namespace SobotPS
{
    /// <summary>
    /// What every SobotPS command shares: the connection (-Connection or the runspace's default),
    /// cancellation on Ctrl+C, -Verbose/-Debug tracing of each HTTP exchange, and error records.
    /// </summary>
    public abstract class SobotCmdlet : PromptSafeCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        /// <summary>The account to use; by default the one Connect-Sobot set for this runspace.</summary>
        [Parameter(ValueFromPipelineByPropertyName = false)]
        [ValidateNotNull]
        public SobotConnection? Connection { get; set; }

        protected CancellationToken CancellationToken => _cancel.Token;

        protected override void StopProcessing() => _cancel.Cancel();

        /// <summary>The connection to use, or a terminating error when there is none (nothing can succeed).</summary>
        protected SobotConnection ResolveConnection()
        {
            var connection = Connection ?? SobotSession.Current;
            if (connection is null)
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("Not connected to Sobot. Run Connect-Sobot first, or pass -Connection."),
                    SobotErrorIds.NotConnected, ErrorCategory.ConnectionError, null));
            if (!connection!.IsOpen)
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("This Sobot connection was closed by Disconnect-Sobot. Run Connect-Sobot again."),
                    SobotErrorIds.ConnectionClosed, ErrorCategory.ConnectionError, connection));
            return connection;
        }

        /// <summary>
        /// Runs one client call to completion on this (pipeline) thread, then writes the call's HTTP
        /// exchanges to the verbose and debug streams. The client never sees a synchronization context,
        /// so blocking here cannot deadlock.
        /// </summary>
        protected T Call<T>(Func<CancellationToken, Task<T>> call)
        {
            Task<T> task;
            // Started here, it runs synchronously up to its first real await: a call answered from a cache (the
            // template of every row of a bulk send) completes without a thread hop or a blocking wait. Every await
            // in the client uses ConfigureAwait(false), so what continues later never needs this thread.
            using (TraceListening()) task = SynchronizationContext.Current is null ? call(CancellationToken) : Task.Run(() => call(CancellationToken));
            try
            {
                return task.GetAwaiter().GetResult();
            }
            finally
            {
                FlushTrace();
            }
        }

        protected void Call(Func<CancellationToken, Task> call) =>
            Call<bool>(async token => { await call(token).ConfigureAwait(false); return true; });

        /// <summary>
        /// The other side of the one sync boundary: a paged listing streamed item by item on this (pipeline)
        /// thread, each page fetched on the thread pool and its HTTP exchanges traced as it arrives.
        /// </summary>
        protected System.Collections.Generic.IEnumerable<T> Stream<T>(Func<CancellationToken, System.Collections.Generic.IAsyncEnumerable<T>> source)
        {
            var items = source(CancellationToken).GetAsyncEnumerator(CancellationToken);
            try
            {
                while (true)
                {
                    Task<bool> next;
                    using (TraceListening()) next = Task.Run(() => items.MoveNextAsync().AsTask());
                    bool more;
                    try { more = next.GetAwaiter().GetResult(); }
                    finally { FlushTrace(); }
                    if (!more) yield break;
                    yield return items.Current;
                }
            }
            finally
            {
                Task.Run(() => items.DisposeAsync().AsTask()).GetAwaiter().GetResult();
            }
        }

        private readonly ConcurrentQueue<SobotTraceEvent> _events = new ConcurrentQueue<SobotTraceEvent>();
        private bool? _traceWanted;

        /// <summary>
        /// Client calls started inside the returned scope (and the tasks they start) report their HTTP
        /// exchanges to this command; <see cref="FlushTrace"/> writes them from the pipeline thread. Nothing
        /// is collected when neither -Verbose nor -Debug output would be shown.
        /// </summary>
        protected IDisposable? TraceListening() => TraceWanted ? SobotTrace.Listen(_events.Enqueue) : null;

        private bool TraceWanted => _traceWanted ??= Wants("Verbose", "VerbosePreference") || Wants("Debug", "DebugPreference");

        private bool Wants(string parameter, string preference)
        {
            if (MyInvocation.BoundParameters.ContainsKey(parameter)) return BoundSwitch(parameter);
            var current = GetVariableValue(preference);
            return current is ActionPreference p ? p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore : current != null;
        }

        protected void FlushTrace()
        {
            while (_events.TryDequeue(out var e))
            {
                WriteVerbose(e.Summary);
                if (e.RequestBody != null) WriteDebug($"{e.Method} {e.Path} request body: {e.RequestBody}");
                if (e.ResponseBody != null) WriteDebug($"{e.Method} {e.Path} response body: {e.ResponseBody}");
            }
        }

        /// <summary>
        /// What an item's errors and results point back to: the pipeline object (a CSV row), or the number
        /// when the command was called with parameters only (or a bare string was piped).
        /// </summary>
        protected static object PipelineTarget(PSObject? input, string fallback) =>
            input?.BaseObject is { } value && !(value is string) ? (object)input : fallback;

        /// <summary>One failed item: a non-terminating error, except bad keys, which stop the command.</summary>
        protected void WriteApiError(SobotApiException ex, object? target)
        {
            var record = SobotErrors.FromApi(ex, target);
            if (ex.KeysRejected) ThrowTerminatingError(record);
            WriteError(record);
        }

        /// <summary>PowerShell disposes a cmdlet after its pipeline ends, stopped or not.</summary>
        public void Dispose()
        {
            ReleaseResources();
            _cancel.Dispose();
        }

        /// <summary>Frees what a command holds for its run (a journal's lock, a sender).</summary>
        protected virtual void ReleaseResources()
        {
        }
    }
}
