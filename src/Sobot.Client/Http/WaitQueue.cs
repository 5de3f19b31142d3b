using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sobot.Client.Http
{
    /// <summary>
    /// Callers waiting their turn, first come first served, for <see cref="AdaptivePacer"/> and
    /// <see cref="AdaptiveConcurrency"/>. The owner holds its own lock (<c>gate</c>) around <see cref="Enqueue"/>,
    /// <see cref="Count"/> and <see cref="Dequeue"/>, and completes what it dequeued outside that lock. A caller
    /// whose token is cancelled leaves the queue under the same lock, so a turn is either given or cancelled,
    /// never both.
    /// </summary>
    internal sealed class WaitQueue
    {
        private readonly object _gate;
        private readonly LinkedList<TaskCompletionSource<bool>> _waiters = new LinkedList<TaskCompletionSource<bool>>();

        public WaitQueue(object gate) => _gate = gate;

        /// <summary>Callers still waiting (under the owner's lock).</summary>
        public int Count => _waiters.Count;

        /// <summary>Adds a caller (under the owner's lock; the token is not cancelled yet); its task ends when its turn comes.</summary>
        public Task Enqueue(CancellationToken cancellationToken)
        {
            var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var node = _waiters.AddLast(waiter);
            if (cancellationToken.CanBeCanceled)
            {
                var registration = cancellationToken.Register(() =>
                {
                    lock (_gate)
                    {
                        if (node.List is null) return; // its turn was given already
                        _waiters.Remove(node);
                    }
                    waiter.TrySetCanceled(cancellationToken);
                });
                waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            return waiter.Task;
        }

        /// <summary>Takes the first caller (under the owner's lock); complete it with <c>TrySetResult</c> outside the lock.</summary>
        public TaskCompletionSource<bool> Dequeue()
        {
            var first = _waiters.First!.Value;
            _waiters.RemoveFirst();
            return first;
        }
    }
}
