using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Receiver;
using Sobot.Client.Webhooks;

namespace SobotPS
{
    /// <summary>
    /// What the listening cmdlets share: the connection's webhook receiver (or a terminating error that
    /// says how to connect one), waits that end at -TimeoutSec or at once on Ctrl+C, and the typed events
    /// as PowerShell objects.
    /// </summary>
    public abstract class ReceiverCmdlet : SobotCmdlet
    {
        protected SobotReceiverClient ResolveReceiver()
        {
            var connection = Connection ?? SobotSession.Current;
            if (connection is null || !connection.IsOpen || connection.Receiver is null)
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(
                    "No webhook receiver is connected. Start one (Start-SobotReceiver) or use yours, then: Connect-Sobot -Receiver $receiver, or -ReceiverUri <query URL> -ReceiverKey <key> (or the environment variables SOBOT_RECEIVER_URI and SOBOT_RECEIVER_KEY)."),
                    SobotErrorIds.NoReceiver, ErrorCategory.ConnectionError, null));
            return connection!.Receiver!;
        }

        /// <summary>A receiver failure as one error; a refused key stops the command (every later call fails too).</summary>
        protected void WriteReceiverError(SobotReceiverException ex, object? target)
        {
            var record = new ErrorRecord(ex, ex.KeyRejected ? SobotErrorIds.ReceiverUnauthorized : SobotErrorIds.ReceiverFailed,
                ex.KeyRejected ? ErrorCategory.AuthenticationError : ErrorCategory.ConnectionError, target);
            if (ex.KeyRejected) ThrowTerminatingError(record);
            WriteError(record);
        }

        /// <summary>
        /// The loop both waits share: asks <paramref name="next"/> for the next result until it says there is
        /// none (deadline) or <paramref name="take"/> says enough, writing the waiter's notes as verbose lines.
        /// False when the receiver failed (its error is written).
        /// </summary>
        protected bool Drain<T>(Func<CancellationToken, Task<T?>> next, System.Collections.Concurrent.ConcurrentQueue<string> notes, Func<T, bool> take) where T : class
        {
            while (true)
            {
                T? item;
                try
                {
                    item = Call(next);
                }
                catch (SobotReceiverException ex)
                {
                    WriteReceiverError(ex, null);
                    return false;
                }
                while (notes.TryDequeue(out var line)) WriteVerbose(line);
                if (item is null || !take(item)) return true;
            }
        }

        /// <summary>The deadline of a -TimeoutSec (0 or less: no deadline).</summary>
        protected static DateTimeOffset Deadline(int timeoutSec) =>
            timeoutSec > 0 ? DateTimeOffset.UtcNow.AddSeconds(timeoutSec) : DateTimeOffset.MaxValue;

        /// <summary>An event as the pipeline gets it: the typed object, with what it answers attached when given.</summary>
        protected static PSObject Output(SobotWebhookEvent e, string? questionMessageId = null, object? question = null)
        {
            var wrapped = PSObject.AsPSObject(e);
            if (questionMessageId != null) wrapped.Properties.Add(new PSNoteProperty("QuestionMessageId", questionMessageId));
            if (question != null) wrapped.Properties.Add(new PSNoteProperty("Question", question));
            return wrapped;
        }
    }
}
