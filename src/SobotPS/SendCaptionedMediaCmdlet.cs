using System.Management.Automation;

namespace SobotPS
{
    /// <summary>Media messages that carry -MimeType and a caption of up to 1024 characters (image, video, document).</summary>
    public abstract class SendCaptionedMediaCmdlet : SendMediaMessageCmdlet
    {
        /// <summary>Inferred from the URL's extension when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("mime_type")]
        [AllowNull, AllowEmptyString]
        public string? MimeType { get; set; }

        /// <summary>Up to 1024 characters.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? Caption { get; set; }

        protected override string? GivenMimeType => MimeType;
    }
}
