using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Sobot.Emulator;

namespace Sobot.TestSupport;

/// <summary>
/// An emulator reached over HTTP: a keyed client for the API, a bare one for <c>/_emulator</c>, and the calls tests
/// make. Shared by the in-process host (<see cref="EmulatorTestHost"/>) and the .NET Framework leg's out-of-process
/// one (tests/Sobot.Client.NetFx.Tests), so it uses only what .NET Framework has.
/// </summary>
public abstract class EmulatorHttp
{
    protected EmulatorHttp(Uri baseUri)
    {
        Api = new HttpClient { BaseAddress = baseUri };
        Api.DefaultRequestHeaders.Add("x-api-key", EmulatorOptions.DefaultAccessKey);
        Api.DefaultRequestHeaders.Add("x-api-secret", EmulatorOptions.DefaultSecretKey);
        Control = new HttpClient { BaseAddress = baseUri };
    }

    /// <summary>Carries the default keys.</summary>
    public HttpClient Api { get; }
    /// <summary>No keys: for <c>/_emulator</c> and for requests that must be refused.</summary>
    public HttpClient Control { get; }

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

    protected void DisposeClients()
    {
        Api.Dispose();
        Control.Dispose();
    }
}
