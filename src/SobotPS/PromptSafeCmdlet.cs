using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace SobotPS
{
    /// <summary>
    /// A cmdlet whose verbose, debug and warning lines never stop it. For a compiled cmdlet, -Debug makes PowerShell
    /// ask before each verbose line and each warning (and Windows PowerShell before each debug line too); a host that
    /// cannot ask (a -File run with stdin closed, a scheduled task, a runspace without a UI) throws instead, which
    /// ended sends in the middle, and an interactive one would ask once per message of a bulk run. So the lines are
    /// written the way PowerShell writes its own must-not-prompt lines (the runtime's overrideInquire: "ask" counts as
    /// "continue"); where that is not available and the host still cannot ask, this command's trace stops instead of
    /// the command. -Verbose, -WarningAction and the preference variables keep their meaning otherwise.
    /// What it writes to the other streams is made safe as well (PromptSafeCmdlet.Output.cs).
    /// </summary>
    public abstract partial class PromptSafeCmdlet : PSCmdlet
    {
        private static readonly Type? Runtime = typeof(PSCmdlet).Assembly.GetType("System.Management.Automation.MshCommandRuntime");
        private static readonly MethodInfo? VerboseWriter = Writer("WriteVerbose", typeof(VerboseRecord));
        private static readonly MethodInfo? DebugWriter = Writer("WriteDebug", typeof(DebugRecord));
        private static readonly MethodInfo? WarningWriter = Writer("WriteWarning", typeof(WarningRecord));
        private bool _cannotAsk;

        private static MethodInfo? Writer(string name, Type record) =>
            Runtime?.GetMethod(name, BindingFlags.Instance | BindingFlags.NonPublic, null, new[] { record, typeof(bool) }, null);

        /// <summary>True when a switch (or a common parameter such as -WhatIf) was given and is on.</summary>
        protected bool BoundSwitch(string name) =>
            MyInvocation.BoundParameters.TryGetValue(name, out var value) && (value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value));

        // Verbose, debug and warning lines may quote outside text (a receiver's answer, Sobot's reasons, a customer's
        // number as typed): control characters are shown escaped, as in the views (DisplayText).
        protected new void WriteVerbose(string text)
        {
            text = Sobot.Client.DisplayText.EscapeLines(text);
            Write(VerboseWriter, new VerboseRecord(text), () => base.WriteVerbose(text));
        }

        protected new void WriteDebug(string text)
        {
            text = Sobot.Client.DisplayText.EscapeLines(text);
            Write(DebugWriter, new DebugRecord(text), () => base.WriteDebug(text));
        }

        protected new void WriteWarning(string text)
        {
            text = Sobot.Client.DisplayText.EscapeLines(text);
            Write(WarningWriter, new WarningRecord(text), () => base.WriteWarning(text));
        }

        private void Write(MethodInfo? withoutAsking, InformationalRecord record, Action plain)
        {
            if (_cannotAsk && !(record is WarningRecord)) return;
            try
            {
                if (withoutAsking != null && Runtime!.IsInstanceOfType(CommandRuntime))
                {
                    try
                    {
                        withoutAsking.Invoke(CommandRuntime, new object[] { record, true });
                    }
                    catch (TargetInvocationException ex) when (ex.InnerException != null)
                    {
                        ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                    }
                }
                else
                {
                    plain();
                }
            }
            catch (Exception ex) when (CannotAsk(ex))
            {
                // The preference says "ask" and this host cannot: a warning still reaches the host, the trace stops, the command goes on.
                if (record is WarningRecord)
                {
                    ToHost(record.Message);
                    return;
                }
                if (_cannotAsk) return;
                _cannotAsk = true;
                ToHost("This host cannot ask before each -Debug line, so this command's trace is off. Use -Verbose, or $DebugPreference = 'Continue', to see it without being asked.");
            }
        }

        private static bool CannotAsk(Exception ex) =>
            ex is PSInvalidOperationException || ex is HostException || ex is NotImplementedException || ex is NullReferenceException;

        private void ToHost(string warning)
        {
            try
            {
                Host?.UI?.WriteWarningLine(warning);
            }
            catch (Exception ex) when (CannotAsk(ex))
            {
                // A host without a UI: nothing more can be said.
            }
        }
    }
}
