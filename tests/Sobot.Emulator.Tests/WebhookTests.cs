using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Sobot.Emulator.Tests;

public class WebhookTests
{
    /// <summary>A webhook endpoint on a free loopback port that keeps what it receives.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        public ConcurrentQueue<JsonNode> Bodies { get; } = new();
        public string Url { get; }

        private Receiver(WebApplication app, string url) { _app = app; Url = url; }

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            Receiver? self = null;
            app.MapPost("/hook", async (HttpRequest r) =>
            {
                self!.Bodies.Enqueue((await JsonNode.ParseAsync(r.Body))!);
                return Results.Ok();
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            self = new Receiver(app, address + "/hook");
            return self;
        }

        public async Task<List<JsonNode>> WaitForAsync(int count)
        {
            for (int i = 0; i < 100 && Bodies.Count < count; i++) await Task.Delay(50);
            return Bodies.ToList();
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    [Fact]
    public async Task Posts_sent_delivered_and_read_for_each_accepted_message()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var e = await Emulator.StartAsync(o => o.WebhookUrl = receiver.Url);
        var (_, body) = await e.PostAsync("message/", """{"customer_number":"919970585556","customer_name":"A","template_name":"hello_world","template_lang":"en"}""");
        string wamid = body["data"]!["id"]!.GetValue<string>();
        var statuses = await receiver.WaitForAsync(3);
        Assert.Equal(3, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(wamid, s["id"]!.GetValue<string>()));
        Assert.Equal(["sent", "delivered", "read"], statuses.OrderBy(s => long.Parse(s["timestamp"]!.GetValue<string>())).Select(s => s["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Posts_inbound_messages_in_the_documented_shape()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var e = await Emulator.StartAsync(o => o.WebhookUrl = receiver.Url);
        (await e.Bare.PostAsJsonAsync("_emulator/inbound", new { from = "919960123456", name = "John", text = "Hi" })).EnsureSuccessStatusCode();
        var payload = Assert.Single(await receiver.WaitForAsync(1)).AsArray();
        var value = payload[0]!["value"]!;
        Assert.Equal("messages", payload[0]!["field"]!.GetValue<string>());
        Assert.Equal("whatsapp", value["messaging_product"]!.GetValue<string>());
        Assert.Equal("John", value["contacts"]![0]!["profile"]!["name"]!.GetValue<string>());
        var message = value["messages"]![0]!;
        Assert.Equal(("919960123456", "text", "Hi"), (message["from"]!.GetValue<string>(), message["type"]!.GetValue<string>(), message["text"]!["body"]!.GetValue<string>()));
    }

    [Fact]
    public void Webhook_url_must_be_absolute_http()
    {
        Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse(["--webhook-url", "not-a-url"]));
        Assert.Equal("http://127.0.0.1:9/hook", EmulatorOptions.Parse(["--webhook-url", "http://127.0.0.1:9/hook"]).WebhookUrl);
    }
}
