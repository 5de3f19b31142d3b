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
    /// <summary>When set, each post is kept (after it is recorded) until this completes: a slow webhook endpoint.</summary>
    public TaskCompletionSource? Hold { get; set; }

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
            if (self.Hold is { } hold) await hold.Task;
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookReceiver(app, address + "/hook");
        return self;
    }

    /// <summary>What arrived once at least <paramref name="count"/> bodies have (or what did in 60 s: the caller's assertion says what is missing).</summary>
    public Task<List<JsonNode>> WaitForAsync(int count) => WaitForAsync(bodies => bodies.Count >= count);

    /// <summary>What arrived once <paramref name="enough"/> holds for it (or what did in 60 s).</summary>
    public async Task<List<JsonNode>> WaitForAsync(Func<List<JsonNode>, bool> enough)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        var bodies = Bodies.ToList();
        while (!enough(bodies) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(20);
            bodies = Bodies.ToList();
        }
        return bodies;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
