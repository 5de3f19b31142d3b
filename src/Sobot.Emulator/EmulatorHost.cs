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
        builder.Services.AddSingleton(_ => new WebhookSender(options));

        var app = builder.Build();
        app.UseMiddleware<ApiGate>();
        MessageEndpoints.Map(app);
        TemplateEndpoints.Map(app);
        CustomerEndpoints.Map(app);
        ControlEndpoints.Map(app);
        app.MapFallback((HttpContext ctx) => Results.Json(new { message = $"No endpoint at {ctx.Request.Method} {ctx.Request.Path}.", code = 404 }, statusCode: 404));

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
