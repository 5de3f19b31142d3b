using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sobot.Emulator.Tests;

/// <summary>Hosts an emulator on a free loopback port for one test, with a keyed and a bare HttpClient.</summary>
public sealed class Emulator : IAsyncDisposable
{
    private Emulator(EmulatorHost host)
    {
        Host = host;
        Api = new HttpClient { BaseAddress = host.BaseUri };
        Api.DefaultRequestHeaders.Add("x-api-key", EmulatorOptions.DefaultAccessKey);
        Api.DefaultRequestHeaders.Add("x-api-secret", EmulatorOptions.DefaultSecretKey);
        Bare = new HttpClient { BaseAddress = host.BaseUri };
    }

    public EmulatorHost Host { get; }
    public HttpClient Api { get; }
    public HttpClient Bare { get; }

    public static async Task<Emulator> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { Urls = "http://127.0.0.1:0" };
        configure?.Invoke(options);
        return new Emulator(await EmulatorHost.StartAsync(options));
    }

    public async Task<(int Status, JsonNode Body)> PostAsync(string path, string json)
    {
        using var response = await Api.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public async Task<(int Status, JsonNode Body)> PutAsync(string path, string json)
    {
        using var response = await Api.PutAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public async Task<(int Status, JsonNode Body)> GetAsync(string path)
    {
        using var response = await Api.GetAsync(path);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public async Task OpenWindowAsync(string number) =>
        (await Bare.PostAsJsonAsync("_emulator/inbound", new { from = number })).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Bare.Dispose();
        await Host.DisposeAsync();
    }
}
