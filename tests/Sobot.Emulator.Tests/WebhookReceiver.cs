using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Sobot.Emulator.Tests;

/// <summary>A webhook endpoint on a free loopback port that keeps what it receives.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    public ConcurrentQueue<JsonNode> Bodies { get; } = new();
    /// <summary>When each body arrived, in the order of <see cref="Bodies"/>.</summary>
    public ConcurrentQueue<DateTimeOffset> ArrivedAt { get; } = new();
    public string Url { get; }

    private WebhookReceiver(WebApplication app, string url) { _app = app; Url = url; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (HttpRequest r) =>
        {
            var body = (await JsonNode.ParseAsync(r.Body))!;
            self!.ArrivedAt.Enqueue(DateTimeOffset.UtcNow);
            self.Bodies.Enqueue(body);
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookReceiver(app, address + "/hook");
        return self;
    }

    public async Task<List<JsonNode>> WaitForAsync(int count)
    {
        for (int i = 0; i < 100 && Bodies.Count < count; i++) await Task.Delay(50);
        return Bodies.ToList();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
