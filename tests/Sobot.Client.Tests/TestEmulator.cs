using Sobot.Emulator;
using Sobot.TestSupport;

namespace Sobot.Client.Tests;

/// <summary>An emulator hosted in this process on a free loopback port, with a client connected to it (TestEmulator.Client.cs).</summary>
public sealed partial class TestEmulator : EmulatorTestHost
{
    private TestEmulator(EmulatorHost host) : base(host) { }

    public static async Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null) => new(await StartHostAsync(configure));
}
