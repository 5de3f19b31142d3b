using System;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace SobotPS
{
    /// <summary>
    /// A cmdlet whose verbose and debug lines never stop it. -Debug without -Verbose makes PowerShell ask before
    /// each verbose line (and Windows PowerShell also before each debug line); a host that cannot ask (a -File run
    /// with stdin closed, a scheduled task, a runspace without a UI) throws instead, which ended sends in the middle.
    /// So with -Debug alone the verbose lines go to the debug stream (which PowerShell 7 shows without asking), and a
    /// host that still cannot ask turns this command's trace off with one warning, rather than failing the command.
    /// </summary>
    public abstract class PromptSafeCmdlet : PSCmdlet
    {
        private bool? _debugAlone;
        private bool _cannotAsk;

        /// <summary>True when a switch (or a common parameter such as -WhatIf) was given and is on.</summary>
        protected bool BoundSwitch(string name) =>
            MyInvocation.BoundParameters.TryGetValue(name, out var value) && (value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value));

        private bool DebugAlone => _debugAlone ??= BoundSwitch("Debug") && !MyInvocation.BoundParameters.ContainsKey("Verbose");

        protected new void WriteVerbose(string text)
        {
            if (DebugAlone) WriteDebug(text);
            else Safely(() => base.WriteVerbose(text));
        }

        protected new void WriteDebug(string text) => Safely(() => base.WriteDebug(text));

        private void Safely(Action write)
        {
            if (_cannotAsk) return;
            try
            {
                write();
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is HostException || ex is NotImplementedException || ex is NullReferenceException)
            {
                // The preference says "ask", and this host cannot: the trace stops, the command does not.
                _cannotAsk = true;
                WriteWarning("This host cannot ask before each -Debug line, so this command's trace is off. Use -Verbose, or $DebugPreference = 'Continue', to see it without being asked.");
            }
        }
    }
}
