using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Sobot.Emulator;

namespace Sobot.TestSupport;

/// <summary>
/// The emulator hosted in the test process on a free loopback port, shared by the xunit projects (each
/// compiles this file in and derives its own small fixture): a keyed client for the API, a bare one for
/// <c>/_emulator</c>, and the control calls tests need.
/// </summary>
public abstract class EmulatorTestHost : IAsyncDisposable
{
    protected EmulatorTestHost(EmulatorHost host)
    {
        Host = host;
        Api = new HttpClient { BaseAddress = host.BaseUri };
        Api.DefaultRequestHeaders.Add("x-api-key", EmulatorOptions.DefaultAccessKey);
        Api.DefaultRequestHeaders.Add("x-api-secret", EmulatorOptions.DefaultSecretKey);
        Control = new HttpClient { BaseAddress = host.BaseUri };
    }

    public EmulatorHost Host { get; }
    public EmulatorState State => Host.State;
    /// <summary>Carries the default keys.</summary>
    public HttpClient Api { get; }
    /// <summary>No keys: for <c>/_emulator</c> and for requests that must be refused.</summary>
    public HttpClient Control { get; }

    protected static Task<EmulatorHost> StartHostAsync(Action<EmulatorOptions>? configure)
    {
        var options = new EmulatorOptions { Urls = "http://127.0.0.1:0" };
        configure?.Invoke(options);
        return EmulatorHost.StartAsync(options);
    }

    /// <summary>An API call with the default keys and a JSON body (when given); the status and the parsed answer.</summary>
    public async Task<(int Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (json != null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Api.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>A control call (<c>/_emulator/...</c>) with a JSON body; the status and the parsed answer.</summary>
    public async Task<(int Status, JsonNode Body)> ControlAsync(string path, object body)
    {
        using var response = await Control.PostAsJsonAsync("_emulator/" + path, body);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>A message from the customer, so free-form messages to that number are allowed.</summary>
    public async Task OpenWindowAsync(string number) =>
        (await Control.PostAsJsonAsync("_emulator/inbound", new { from = number, text = "Hi" })).EnsureSuccessStatusCode();

    public async Task<JsonArray> MessagesAsync() =>
        (JsonArray)(await JsonNode.ParseAsync(await Control.GetStreamAsync("_emulator/messages")))!;

    public virtual async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Control.Dispose();
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
