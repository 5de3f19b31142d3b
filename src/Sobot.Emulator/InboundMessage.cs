using System.Text.Json.Nodes;

namespace Sobot.Emulator;

/// <summary>A customer's message as posted to the webhook: the number, its own time, and the whole payload.</summary>
public sealed record InboundMessage(string Id, string CustomerNumber, DateTimeOffset Timestamp, JsonArray Payload);
