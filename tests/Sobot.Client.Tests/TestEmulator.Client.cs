using System.Security;
using Sobot.Emulator;

namespace Sobot.Client.Tests;

/// <summary>
/// A client connected to the emulator. Shared with the .NET Framework leg (tests/Sobot.Client.NetFx.Tests), whose
/// TestEmulator runs the emulator out of process and has the same <c>Host.BaseUri</c>. There, under Mono, the client's
/// handler is Mono's HttpWebRequest-based one, the .NET Framework design (the leg's MonoWebRequestStack.cs); here, .NET's.
/// </summary>
public sealed partial class TestEmulator
{
    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char c in text) s.AppendChar(c);
        return s;
    }

    /// <param name="handler">Null for the client's own; a test's (e.g. <see cref="GatedSends"/>) wraps the client's own.</param>
    public SobotClient Client(string? region = null, string accessKey = EmulatorOptions.DefaultAccessKey, string secretKey = EmulatorOptions.DefaultSecretKey, Action<SobotTraceEvent>? trace = null, System.Net.Http.HttpMessageHandler? handler = null) =>
        new(new SobotClientOptions(new SobotCredential(accessKey, Secure(secretKey))) { BaseUri = Host.BaseUri, DefaultRegion = region, Trace = trace, Handler = handler });
}
