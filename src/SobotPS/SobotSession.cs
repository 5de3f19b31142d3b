using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace SobotPS
{
    /// <summary>
    /// The default connection of each runspace. Keyed by runspace, not held in a static field, so
    /// parallel runspaces and several accounts in one process never see each other's connection.
    /// </summary>
    internal static class SobotSession
    {
        private sealed class Holder
        {
            public SobotConnection? Connection;
        }

        private static readonly ConditionalWeakTable<Runspace, Holder> Connections = new ConditionalWeakTable<Runspace, Holder>();

        public static SobotConnection? Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace != null && Connections.TryGetValue(runspace, out var holder) ? holder.Connection : null;
            }
            set
            {
                var runspace = Runspace.DefaultRunspace;
                if (runspace is null) return;
                Connections.GetValue(runspace, _ => new Holder()).Connection = value;
            }
        }
    }
}
