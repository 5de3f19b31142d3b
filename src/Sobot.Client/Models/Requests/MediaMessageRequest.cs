using System.Collections.Generic;
using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary>
    /// <c>type</c> image, video, sticker or document: a public URL, its MIME type, a caption where the
    /// type has one and the file name a document needs.
    /// </summary>
    public sealed class MediaMessageRequest : SendMessageRequest
    {
        private readonly MediaKind _kind;

        private MediaMessageRequest(MediaKind kind, string customerNumber, string customerName, string url, string mimeType, string? caption, string? filename)
            : base(customerNumber, customerName)
        {
            _kind = kind;
            Url = url;
            MimeType = mimeType;
            Caption = string.IsNullOrEmpty(caption) ? null : caption;
            Filename = string.IsNullOrEmpty(filename) ? null : filename;
        }

        public static MediaMessageRequest Image(string customerNumber, string customerName, string url, string mimeType, string? caption) =>
            new MediaMessageRequest(MediaKind.Image, customerNumber, customerName, url, mimeType, caption, null);

        public static MediaMessageRequest Video(string customerNumber, string customerName, string url, string mimeType, string? caption) =>
            new MediaMessageRequest(MediaKind.Video, customerNumber, customerName, url, mimeType, caption, null);

        /// <summary>The contract's table names the type <c>sticker</c> (its example sends <c>image</c> with image/webp).</summary>
        public static MediaMessageRequest Sticker(string customerNumber, string customerName, string url, string mimeType) =>
            new MediaMessageRequest(MediaKind.Sticker, customerNumber, customerName, url, mimeType, null, null);

        public static MediaMessageRequest Document(string customerNumber, string customerName, string url, string mimeType, string filename, string? caption) =>
            new MediaMessageRequest(MediaKind.Document, customerNumber, customerName, url, mimeType, caption, filename);

        [System.Text.Json.Serialization.JsonPropertyOrder(-8)]
        public string Type => _kind.Type;

        public string Url { get; }

        public string MimeType { get; }

        public string? Caption { get; }

        public string? Filename { get; }

        protected override string Kind => _kind.Type;

        protected override void ValidateContent()
        {
            Check.HttpUrl(Url, "url");
            Check.OneOf(MimeType, _kind.MimeTypes, "mime_type");
            if (Caption != null && !_kind.HasCaption)
                throw new SobotValidationException("caption", $"A {_kind.Type} message has no caption.");
            Check.MaxLength(Caption, MediaTypes.MaxCaptionLength, "caption");
            if (_kind == MediaKind.Document) Check.Required(Filename, "filename");
        }
    }

    /// <summary>What the contract allows per media message type.</summary>
    public sealed class MediaKind
    {
        private MediaKind(string type, IReadOnlyCollection<string> mimeTypes, bool hasCaption)
        {
            Type = type;
            MimeTypes = mimeTypes;
            HasCaption = hasCaption;
        }

        public static readonly MediaKind Image = new MediaKind("image", MediaTypes.Image, true);
        public static readonly MediaKind Video = new MediaKind("video", MediaTypes.Video, true);
        public static readonly MediaKind Sticker = new MediaKind("sticker", MediaTypes.Sticker, false);
        public static readonly MediaKind Document = new MediaKind("document", MediaTypes.Document, true);

        public string Type { get; }
        public IReadOnlyCollection<string> MimeTypes { get; }
        public bool HasCaption { get; }
    }
}
