using System.Security;
using Sobot.Client;
using Sobot.Emulator;
using Sobot.TestSupport;

namespace Sobot.Client.Tests;

/// <summary>An emulator hosted in this process on a free loopback port, with a client connected to it.</summary>
public sealed class TestEmulator : EmulatorTestHost
{
    private TestEmulator(EmulatorHost host) : base(host) { }

    public static async Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null) => new(await StartHostAsync(configure));

    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char c in text) s.AppendChar(c);
        return s;
    }

    public SobotClient Client(string? region = null, string accessKey = EmulatorOptions.DefaultAccessKey, string secretKey = EmulatorOptions.DefaultSecretKey, Action<SobotTraceEvent>? trace = null) =>
        new(new SobotClientOptions(new SobotCredential(accessKey, Secure(secretKey))) { BaseUri = Host.BaseUri, DefaultRegion = region, Trace = trace });
}
