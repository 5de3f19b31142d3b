namespace Sobot.Receiver.Store;

/// <summary>One POST that reached the right token: its body byte for byte, and the events read from it.</summary>
public sealed record WebhookDelivery(byte[] Body, IReadOnlyList<NewEvent> Events, DateTimeOffset ReceivedAt, string? RemoteAddress);
