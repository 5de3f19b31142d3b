using System.Text.Json.Nodes;

namespace Sobot.Emulator;

public sealed record AcceptedMessage(long Sequence, DateTimeOffset ReceivedAt, string CustomerNumber, string CustomerName, string Kind, string? TemplateName, string Id, JsonObject Body, MessageOutcome Outcome);
