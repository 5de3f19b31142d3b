using System;

namespace Sobot.Client.Webhooks
{
    /// <summary>Something Sobot posted to a webhook endpoint.</summary>
    public abstract class SobotWebhookEvent
    {
        protected SobotWebhookEvent(string rawJson) => RawJson = rawJson;

        /// <summary>The JSON of this event as it arrived.</summary>
        public string RawJson { get; }

        /// <summary>The event's place in a webhook receiver's store (its cursor); null when parsed from a body directly.</summary>
        public long? Seq { get; internal set; }

        /// <summary>When a webhook receiver stored the event; null when parsed from a body directly.</summary>
        public DateTimeOffset? ReceivedAt { get; internal set; }

        /// <summary>
        /// When the event counts as having happened, from a webhook receiver: WhatsApp's timestamp, but never later than
        /// the arrival (plus the receiver's allowed clock skew), so a forged future date decides nothing. Null when
        /// parsed from a body directly.
        /// </summary>
        public DateTimeOffset? EffectiveAt { get; internal set; }
    }

    /// <summary>A message a customer sent: one per entry of <c>value.messages</c>.</summary>
    public sealed class SobotInboundMessage : SobotWebhookEvent
    {
        public SobotInboundMessage(string rawJson) : base(rawJson) { }

        /// <summary>The customer's number (wa_id).</summary>
        public string? From { get; internal set; }
        /// <summary>The customer's WhatsApp profile name.</summary>
        public string? Name { get; internal set; }
        public string? MessageId { get; internal set; }
        public DateTimeOffset? Timestamp { get; internal set; }
        /// <summary>text, image, video, audio, document, sticker, location, contacts, button, interactive, or whatever WhatsApp adds.</summary>
        public string? Type { get; internal set; }
        public string? Text { get; internal set; }
        public SobotWebhookMedia? Media { get; internal set; }
        /// <summary>The text (or title) of the quick-reply or list button the customer pressed.</summary>
        public string? ButtonText { get; internal set; }
        /// <summary>The id (payload) of the pressed button or picked list row.</summary>
        public string? ButtonPayload { get; internal set; }
        public double? Latitude { get; internal set; }
        public double? Longitude { get; internal set; }
        public string? LocationName { get; internal set; }
        public string? Address { get; internal set; }
        /// <summary>The business number that received the message.</summary>
        public string? DisplayPhoneNumber { get; internal set; }
        /// <summary>The id (wamid) of the message this one replies to, from WhatsApp's <c>context.id</c>; null when it is not a reply.</summary>
        public string? ReplyToMessageId { get; internal set; }
        /// <summary>Who sent the message replied to (<c>context.from</c>), usually the business number.</summary>
        public string? ContextFrom { get; internal set; }
    }

    public sealed class SobotWebhookMedia
    {
        public string? Id { get; internal set; }
        public string? MimeType { get; internal set; }
        public string? Sha256 { get; internal set; }
        public string? Url { get; internal set; }
        public string? Caption { get; internal set; }
        public string? Filename { get; internal set; }
    }

    /// <summary>A status change of a sent message: sent, delivered, read or failed. Events may arrive out of order.</summary>
    public sealed class SobotMessageStatus : SobotWebhookEvent
    {
        public SobotMessageStatus(string rawJson) : base(rawJson) { }

        public string? MessageId { get; internal set; }
        public string? Status { get; internal set; }
        public DateTimeOffset? Timestamp { get; internal set; }
        /// <summary>The customer's number the message went to (<c>recipient_id</c>), when WhatsApp says it.</summary>
        public string? RecipientId { get; internal set; }
        /// <summary>WhatsApp's error code of a failed status (<c>errors[0].code</c>, e.g. 131026).</summary>
        public int? ErrorCode { get; internal set; }
        /// <summary>WhatsApp's error title of a failed status (<c>errors[0].title</c>).</summary>
        public string? ErrorTitle { get; internal set; }
        /// <summary>From a receiver's latest-status record: when each stage was first seen (WhatsApp's timestamps); null on a single webhook event.</summary>
        public DateTimeOffset? SentAt { get; internal set; }
        public DateTimeOffset? DeliveredAt { get; internal set; }
        public DateTimeOffset? ReadAt { get; internal set; }
        public DateTimeOffset? FailedAt { get; internal set; }
    }

    /// <summary>A payload of a shape this version does not know; its JSON is kept whole.</summary>
    public sealed class SobotUnknownWebhookEvent : SobotWebhookEvent
    {
        public SobotUnknownWebhookEvent(string rawJson) : base(rawJson) { }
    }
}
