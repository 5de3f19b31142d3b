using Sobot.Emulator;

namespace Sobot.TestSupport;

/// <summary>
/// The emulator hosted in the test process on a free loopback port, shared by the xunit projects (each
/// compiles this file in and derives its own small fixture): the HTTP side of <see cref="EmulatorHttp"/>, and the
/// emulator's state for tests that look behind the API.
/// </summary>
public abstract class EmulatorTestHost : EmulatorHttp, IAsyncDisposable
{
    protected EmulatorTestHost(EmulatorHost host) : base(host.BaseUri) => Host = host;

    public EmulatorHost Host { get; }
    public EmulatorState State => Host.State;

    protected static Task<EmulatorHost> StartHostAsync(Action<EmulatorOptions>? configure)
    {
        var options = new EmulatorOptions { Urls = "http://127.0.0.1:0" };
        configure?.Invoke(options);
        return EmulatorHost.StartAsync(options);
    }

    public virtual async ValueTask DisposeAsync()
    {
        DisposeClients();
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
