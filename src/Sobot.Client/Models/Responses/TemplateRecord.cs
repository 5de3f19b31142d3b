using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sobot.Client.Templates;

namespace Sobot.Client.Models.Responses
{
    /// <summary>
    /// One item of <c>GET /api/template/</c>: the documented fields as they come, and typed views of them
    /// (status, times, buttons, variable counts) that the template rules read.
    /// </summary>
    public sealed class TemplateRecord
    {
        public long Id { get; set; }
        public string? EntityName { get; set; }
        /// <summary>The body text.</summary>
        public string? Template { get; set; }
        public string? Category { get; set; }
        /// <summary>Meta's id.</summary>
        public string? TemplateId { get; set; }
        public string? TemplateType { get; set; }
        public string? LangCode { get; set; }
        /// <summary>0 pending, 1 approved, 2 rejected (a number on the wire).</summary>
        public TemplateStatus Status { get; set; }
        public string? Header { get; set; }
        public string? HeaderType { get; set; }
        public string? Footer { get; set; }
        public string? SubType { get; set; }
        /// <summary>As listed; its shape is undocumented beyond "array of strings" on create. <see cref="Buttons"/> reads it.</summary>
        [JsonPropertyName("buttons")]
        public JsonElement? RawButtons { get; set; }
        /// <summary>As listed: an array of <c>{phone_number, text}</c>, or one such object. <see cref="PhoneButtons"/> reads it.</summary>
        [JsonPropertyName("phone_numbers")]
        public JsonElement? RawPhoneNumbers { get; set; }
        /// <summary>The website button's URL: documented as "the static part of URL", so a dynamic one may come without <c>{{1}}</c>.</summary>
        public string? Url { get; set; }
        public string? UrlName { get; set; }
        public string? Example { get; set; }
        public string? ExampleWebsite { get; set; }
        public string? RejectedReason { get; set; }
        [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
        public DateTimeOffset? CreatedAt { get; set; }
        [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
        public DateTimeOffset? UpdatedAt { get; set; }
        public long? AddedBy { get; set; }

        /// <summary>The quick-reply button texts, in order (strings, or objects with a <c>text</c>).</summary>
        [JsonIgnore]
        public IReadOnlyList<string> Buttons => TemplateButtons.QuickReplies(RawButtons);

        /// <summary>The call buttons (number and text), whether listed as an array or as one object.</summary>
        [JsonIgnore]
        public IReadOnlyList<TemplatePhoneButton> PhoneButtons => TemplateButtons.Phones(RawPhoneNumbers);

        /// <summary>
        /// A website button whose URL takes a value per send: its URL ends in <c>{{1}}</c>, or it carries an
        /// example URL (the create rules give <c>example_website</c> only to a dynamic URL; the list may
        /// return the static part of a dynamic URL without its <c>{{1}}</c>).
        /// </summary>
        [JsonIgnore]
        public bool HasDynamicUrlButton =>
            (Url?.TrimEnd().EndsWith("{{1}}", StringComparison.Ordinal) ?? false) || !string.IsNullOrWhiteSpace(ExampleWebsite);

        /// <summary>The <c>{{n}}</c> variables of the body: how many body parameters a send carries.</summary>
        [JsonIgnore]
        public int BodyVariableCount => TemplateBody.CountVariables(Template);

        /// <summary>The <c>{{1}}</c> of a text header (0 or 1): a send then carries a header parameter.</summary>
        [JsonIgnore]
        public int HeaderVariableCount =>
            string.Equals(HeaderType, "TEXT", StringComparison.OrdinalIgnoreCase) || (HeaderType is null && Header != null)
                ? TemplateBody.CountVariables(Header) : 0;

        [JsonIgnore]
        public bool IsMedia => string.Equals(TemplateType, "MEDIA", StringComparison.OrdinalIgnoreCase);
    }
}
