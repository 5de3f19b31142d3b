using System.Text;
using Sobot.Receiver.Ingress;
using Sobot.Receiver.Store;

namespace Sobot.Receiver.Tests;

/// <summary>Webhook bodies turned into what the ingress hands a store, for tests that talk to a store directly.</summary>
public static class Deliveries
{
    /// <summary>The body mapped as the ingress maps it, with the default stop and start words, received now (or then).</summary>
    public static WebhookDelivery Of(string body, DateTimeOffset? receivedAt = null) =>
        new(Encoding.UTF8.GetBytes(body), WebhookEventMapper.Map(Encoding.UTF8.GetBytes(body)), receivedAt ?? DateTimeOffset.UtcNow, "127.0.0.1");
}
