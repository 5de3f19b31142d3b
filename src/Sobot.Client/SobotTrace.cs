using System;
using System.Threading;

namespace Sobot.Client
{
    /// <summary>
    /// Routes trace events to whoever started the call: a listener set around a call receives the events of
    /// that call only, even when several callers share one client at once (parallel runspaces).
    /// </summary>
    public static class SobotTrace
    {
        private static readonly AsyncLocal<Action<SobotTraceEvent>?> Current = new AsyncLocal<Action<SobotTraceEvent>?>();

        /// <summary>Calls started inside the returned scope report to <paramref name="listener"/>.</summary>
        public static IDisposable Listen(Action<SobotTraceEvent> listener)
        {
            var previous = Current.Value;
            Current.Value = listener;
            return new Scope(previous);
        }

        internal static bool HasListener => Current.Value != null;

        internal static void Publish(SobotTraceEvent e) => Current.Value?.Invoke(e);

        private sealed class Scope : IDisposable
        {
            private readonly Action<SobotTraceEvent>? _previous;
            public Scope(Action<SobotTraceEvent>? previous) => _previous = previous;
            public void Dispose() => Current.Value = _previous;
        }
    }
}
