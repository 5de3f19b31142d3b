using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary><c>type: image</c>: a public JPEG or PNG URL with an optional caption.</summary>
    public sealed class ImageMessageRequest : SendMessageRequest
    {
        public ImageMessageRequest(string customerNumber, string customerName, string url, string mimeType, string? caption)
            : base(customerNumber, customerName)
        {
            Url = url;
            MimeType = mimeType;
            Caption = string.IsNullOrEmpty(caption) ? null : caption;
        }

        public string Type => "image";

        public string Url { get; }

        public string MimeType { get; }

        public string? Caption { get; }

        protected override string Kind => Type;

        protected override void ValidateContent()
        {
            Check.HttpUrl(Url, "url");
            Check.OneOf(MimeType, MediaTypes.Image, "mime_type");
            Check.MaxLength(Caption, MediaTypes.MaxCaptionLength, "caption");
        }
    }
}
