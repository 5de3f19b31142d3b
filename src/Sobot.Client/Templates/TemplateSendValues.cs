using System;
using System.Collections.Generic;

namespace Sobot.Client.Templates
{
    /// <summary>What a caller gives for one template message, as plain values; <see cref="TemplateMessageBuilder"/> checks them against the template.</summary>
    public sealed class TemplateSendValues
    {
        public string TemplateName { get; set; } = string.Empty;
        /// <summary>The template's lang_code; looked up when null.</summary>
        public string? Language { get; set; }
        /// <summary>One value per <c>{{n}}</c> of the body, in order.</summary>
        public IReadOnlyList<string?> BodyParameters { get; set; } = Array.Empty<string?>();
        /// <summary>The value of a text header's <c>{{1}}</c>.</summary>
        public string? HeaderParameter { get; set; }
        public string? HeaderImageUrl { get; set; }
        public string? HeaderVideoUrl { get; set; }
        public string? HeaderDocumentUrl { get; set; }
        /// <summary>The file name shown for a document header; the URL's last segment when null.</summary>
        public string? HeaderDocumentFileName { get; set; }
        /// <summary>The value that completes a dynamic website button's URL.</summary>
        public string? UrlButtonParameter { get; set; }
        /// <summary>The website button's position. 0 by default: the documented example uses 0 for a template with a call and a website button.</summary>
        public int UrlButtonIndex { get; set; }
    }
}
