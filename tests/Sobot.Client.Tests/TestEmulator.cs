using System.Net.Http.Json;
using System.Security;
using System.Text.Json.Nodes;
using Sobot.Client;
using Sobot.Emulator;

namespace Sobot.Client.Tests;

/// <summary>An emulator hosted in this process on a free loopback port, with a client connected to it.</summary>
public sealed class TestEmulator : IAsyncDisposable
{
    private TestEmulator(EmulatorHost host)
    {
        Host = host;
        Control = new HttpClient { BaseAddress = host.BaseUri };
    }

    public EmulatorHost Host { get; }
    public HttpClient Control { get; }
    public EmulatorState State => Host.State;

    public static async Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { Urls = "http://127.0.0.1:0" };
        configure?.Invoke(options);
        return new TestEmulator(await EmulatorHost.StartAsync(options));
    }

    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char c in text) s.AppendChar(c);
        return s;
    }

    public SobotClient Client(string? region = null, string accessKey = EmulatorOptions.DefaultAccessKey, string secretKey = EmulatorOptions.DefaultSecretKey, Action<SobotTraceEvent>? trace = null) =>
        new(new SobotClientOptions(new SobotCredential(accessKey, Secure(secretKey))) { BaseUri = Host.BaseUri, DefaultRegion = region, Trace = trace });

    public async Task OpenWindowAsync(string number)
    {
        var response = await Control.PostAsJsonAsync("_emulator/inbound", new { from = number, text = "Hi" });
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonArray> MessagesAsync() =>
        (JsonArray)(await JsonNode.ParseAsync(await Control.GetStreamAsync("_emulator/messages")))!;

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Host.DisposeAsync();
    }
}
