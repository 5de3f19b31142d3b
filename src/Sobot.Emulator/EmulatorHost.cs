using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Sobot.Emulator;

/// <summary>Builds and runs the emulator; tests host it in process through <see cref="StartAsync"/>.</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, EmulatorState state, Uri baseUri)
    {
        _app = app;
        State = state;
        BaseUri = baseUri;
    }

    public EmulatorState State { get; }

    /// <summary>The bound address, with the real port when the URL asked for port 0.</summary>
    public Uri BaseUri { get; }

    public static async Task<EmulatorHost> StartAsync(EmulatorOptions options, TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Only failures of the emulator itself are logged (to stderr); requests are visible through /_emulator/messages.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var state = new EmulatorState(options, clock ?? TimeProvider.System);
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(services => new WebhookSender(options, services.GetRequiredService<ILogger<WebhookSender>>()));

        var app = builder.Build();
        app.UseMiddleware<ApiGate>();
        var api = app.MapGroup("").AddEndpointFilter(StrictRequestFilter.Api);
        MessageEndpoints.Map(api);
        TemplateEndpoints.Map(api);
        CustomerEndpoints.Map(api);
        ControlEndpoints.Map(app.MapGroup("/_emulator").AddEndpointFilter(StrictRequestFilter.Control));
        app.MapFallback((HttpRequest request) => EmulatorJson.NoEndpoint(request));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorHost(app, state, new Uri(address.TrimEnd('/') + "/"));
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
