using System.Text.Json.Nodes;
using Sobot.TestSupport;

namespace Sobot.Emulator.Tests;

/// <summary>Hosts an emulator on a free loopback port for one test, with a keyed and a bare HttpClient.</summary>
public sealed class Emulator : EmulatorTestHost
{
    private Emulator(EmulatorHost host) : base(host) { }

    public HttpClient Bare => Control;

    public static async Task<Emulator> StartAsync(Action<EmulatorOptions>? configure = null) => new(await StartHostAsync(configure));

    public Task<(int Status, JsonNode Body)> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<(int Status, JsonNode Body)> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json);

    public Task<(int Status, JsonNode Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);
}
