using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client;
using Sobot.Client.Receiver;
using Sobot.Client.Validation;
using Sobot.Client.Webhooks;

namespace SobotPS
{
    /// <summary>
    /// What the listening cmdlets share: the connection's webhook receiver (or a terminating error that
    /// says how to connect one), numbers as the receiver keys them, waits that end at -TimeoutSec or at once on
    /// Ctrl+C and show their progress, receiver failures as error records, and the typed events as PowerShell objects.
    /// </summary>
    public abstract class ReceiverCmdlet : SobotCmdlet
    {
        private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);
        private const int ProgressId = 0x50b07;

        /// <summary>What a wait has to say besides its results (messages it ignored, the receiver going and coming back), written as verbose lines.</summary>
        protected ConcurrentQueue<string> Notes { get; } = new ConcurrentQueue<string>();

        protected SobotReceiverClient ResolveReceiver()
        {
            var connection = Connection ?? SobotSession.Current;
            if (connection is null || !connection.IsOpen || connection.Receiver is null)
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(
                    "No webhook receiver is connected. Start one (Start-SobotReceiver) or use yours, then: Connect-Sobot -Receiver $receiver, or -ReceiverUri <query URL> -ReceiverKey <key> (or the environment variables SOBOT_RECEIVER_URI and SOBOT_RECEIVER_KEY)."),
                    SobotErrorIds.NoReceiver, ErrorCategory.ConnectionError, null));
            return connection!.Receiver!;
        }

        /// <summary>
        /// A number as typed ("+91 98765-00040", or a national number with the connection's -DefaultRegion) as the
        /// receiver keys it; null after writing an InvalidCustomerNumber error for <paramref name="target"/>.
        /// </summary>
        protected string? CustomerKey(string typed, object? target)
        {
            var normalizer = (Connection ?? SobotSession.Current)?.Client.PhoneNumbers ?? new PhoneNumberNormalizer();
            try
            {
                return SobotConnection.CustomerKey(normalizer, typed);
            }
            catch (SobotValidationException ex)
            {
                WriteError(SobotErrors.FromValidation(ex, target));
                return null;
            }
        }

        /// <summary>
        /// A receiver failure as one error: an outage that ended a wait (SobotReceiverUnavailable), another reader's
        /// consumer (SobotConsumerBusy), or the call failing; a refused key stops the command (every later call fails too).
        /// </summary>
        protected void WriteReceiverError(SobotReceiverException ex, object? target, string? message = null)
        {
            string id;
            ErrorCategory category;
            string advice;
            switch (ex)
            {
                case SobotReceiverUnavailableException _:
                    (id, category, advice) = (SobotErrorIds.ReceiverUnavailable, ErrorCategory.ResourceUnavailable,
                        "Check that the receiver runs and that Connect-Sobot -ReceiverUri names it (Test-SobotConnection). Webhooks Sobot posted while it was down are lost; a wait run again finds every answer stored.");
                    break;
                case SobotConsumerBusyException _:
                    (id, category, advice) = (SobotErrorIds.ConsumerBusy, ErrorCategory.ResourceBusy,
                        "Try again when that reader has finished, or read with another -Consumer name. A reader that died frees the consumer when its lease ends (a minute at most).");
                    break;
                case { KeyRejected: true }:
                    (id, category, advice) = (SobotErrorIds.ReceiverUnauthorized, ErrorCategory.AuthenticationError,
                        "Connect with the receiver's query key: Connect-Sobot -ReceiverKey (or SOBOT_RECEIVER_KEY), or -Receiver with what Start-SobotReceiver returned.");
                    break;
                default:
                    (id, category, advice) = (SobotErrorIds.ReceiverFailed, ErrorCategory.ConnectionError, string.Empty);
                    break;
            }
            var record = new ErrorRecord(ex, id, category, target);
            if (message != null || advice.Length > 0) record.ErrorDetails = new ErrorDetails(message ?? ex.Message) { RecommendedAction = advice };
            if (ex.KeyRejected) ThrowTerminatingError(record);
            WriteError(record);
        }

        /// <summary>Runs a command's receiver calls; a failure becomes its error for <paramref name="target"/> (a bad name as InvalidInput).</summary>
        protected void Guarded(object? target, Action body)
        {
            try
            {
                body();
            }
            catch (SobotReceiverException ex)
            {
                WriteReceiverError(ex, target);
            }
            catch (Sobot.Client.SobotValidationException ex)
            {
                WriteError(SobotErrors.FromValidation(ex, target));
            }
        }

        /// <summary>Writes the waiter's outages, recoveries and turned-away polls as notes.</summary>
        protected void Watch(ReceiverWait waiter)
        {
            waiter.Unreachable = ex => Notes.Enqueue($"The receiver is not answering ({ex.Reason ?? ex.Message}); the wait goes on asking.");
            waiter.Reachable = length => Notes.Enqueue($"The receiver answers again, after {Durations.Describe(length)}.");
            waiter.Busy = pause => Notes.Enqueue(BusyNote(pause));
        }

        /// <summary>The verbose line for a long poll the receiver turned away (429): not an error, the wait asks again.</summary>
        protected static string BusyNote(TimeSpan pause) =>
            $"The receiver has as many long polls waiting as it allows (429); the wait asks again in {Durations.Describe(pause)}.";

        /// <summary>
        /// The loop both waits share: asks <paramref name="next"/> for the next result until it says there is none
        /// (deadline) or <paramref name="take"/> says enough. Meanwhile, once a second, writes the notes as verbose
        /// lines and the progress (<paramref name="status"/>, the time left, and the receiver's state when it is
        /// not answering). Returns the outage that ended the wait, if one did; another receiver failure is written
        /// as an error and <paramref name="failed"/> is set.
        /// </summary>
        protected SobotReceiverUnavailableException? Drain<T>(ReceiverWait waiter, Func<CancellationToken, Task<T?>> next, Func<T, bool> take,
            string activity, Func<string> status, DateTimeOffset deadline, out bool failed) where T : class
        {
            failed = false;
            var started = DateTimeOffset.UtcNow;
            bool shown = false;
            void Tick()
            {
                WriteNotes();
                WriteProgress(Progress(waiter, activity, status(), started, deadline));
                shown = true;
            }
            try
            {
                while (true)
                {
                    T? item;
                    try
                    {
                        item = Await(next, Tick);
                    }
                    catch (SobotReceiverUnavailableException outage)
                    {
                        return outage;
                    }
                    catch (SobotReceiverException ex)
                    {
                        failed = true;
                        WriteReceiverError(ex, null);
                        return null;
                    }
                    WriteNotes();
                    if (item is null || !take(item)) return null;
                }
            }
            finally
            {
                WriteNotes();
                if (shown) WriteProgress(new ProgressRecord(ProgressId, activity, "Done.") { RecordType = ProgressRecordType.Completed });
            }
        }

        private void WriteNotes()
        {
            while (Notes.TryDequeue(out var line)) WriteVerbose(line);
        }

        /// <summary>Runs one client call on the thread pool, calling <paramref name="tick"/> on this (pipeline) thread every second until it completes.</summary>
        private T? Await<T>(Func<CancellationToken, Task<T?>> call, Action tick) where T : class
        {
            Task<T?> task;
            using (TraceListening()) task = Task.Run(() => call(CancellationToken));
            try
            {
                while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(ProgressEvery))
                {
                    FlushTrace();
                    tick();
                }
                return task.GetAwaiter().GetResult();
            }
            finally
            {
                FlushTrace();
            }
        }

        private static ProgressRecord Progress(ReceiverWait waiter, string activity, string status, DateTimeOffset started, DateTimeOffset deadline)
        {
            var now = DateTimeOffset.UtcNow;
            bool limited = deadline != DateTimeOffset.MaxValue;
            var left = limited ? deadline - now : TimeSpan.Zero;
            string time = limited ? $"{Durations.Describe(left)} left" : "no time limit";
            string text = waiter.Outage is { } outage
                ? $"{status}; {time}. The receiver at {outage.LastError.RequestUri?.GetLeftPart(UriPartial.Authority) ?? "its query URL"} has not answered for {Durations.Describe(now - outage.Since)} ({outage.LastError.Reason ?? outage.LastError.Message}); asking again."
                : $"{status}; {time}.";
            var record = new ProgressRecord(ProgressId, activity, text);
            if (limited)
            {
                record.SecondsRemaining = (int)Math.Max(0, Math.Ceiling(left.TotalSeconds));
                double total = (deadline - started).TotalSeconds;
                record.PercentComplete = total > 0 ? (int)Math.Min(100, Math.Max(0, (now - started).TotalSeconds * 100 / total)) : 100;
            }
            return record;
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
