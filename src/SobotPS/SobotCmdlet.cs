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
    public abstract class SobotCmdlet : PSCmdlet, IDisposable
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
            using (var trace = TraceCalls())
            {
                var task = Task.Run(() => call(CancellationToken));
                return task.GetAwaiter().GetResult();
            }
        }

        protected void Call(Func<CancellationToken, Task> call) =>
            Call<bool>(async token => { await call(token).ConfigureAwait(false); return true; });

        /// <summary>
        /// Client calls started on this thread inside the scope report their HTTP exchanges to it;
        /// <see cref="TraceScope.Flush"/> writes them (from the pipeline thread only), as does disposing it.
        /// </summary>
        protected TraceScope TraceCalls() => new TraceScope(this);

        protected sealed class TraceScope : IDisposable
        {
            private readonly SobotCmdlet _owner;
            private readonly ConcurrentQueue<SobotTraceEvent> _events = new ConcurrentQueue<SobotTraceEvent>();
            private readonly IDisposable _listening;

            internal TraceScope(SobotCmdlet owner)
            {
                _owner = owner;
                _listening = SobotTrace.Listen(_events.Enqueue);
            }

            public void Flush()
            {
                while (_events.TryDequeue(out var e))
                {
                    _owner.WriteVerbose(e.Summary);
                    if (e.RequestBody != null) _owner.WriteDebug($"{e.Method} {e.Path} request body: {e.RequestBody}");
                    if (e.ResponseBody != null) _owner.WriteDebug($"{e.Method} {e.Path} response body: {e.ResponseBody}");
                }
            }

            public void Dispose()
            {
                _listening.Dispose();
                Flush();
            }
        }

        /// <summary>One failed item: a non-terminating error, except bad keys, which stop the command.</summary>
        protected void WriteApiError(SobotApiException ex, object? target)
        {
            var record = SobotErrors.FromApi(ex, target);
            if (ex.Kind == SobotErrorKind.Unauthorized) ThrowTerminatingError(record);
            WriteError(record);
        }

        /// <summary>PowerShell disposes a cmdlet after its pipeline ends, stopped or not.</summary>
        public void Dispose() => _cancel.Dispose();
    }
}
