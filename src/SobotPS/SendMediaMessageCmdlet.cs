using System;
using System.Collections.Generic;
using System.Management.Automation;
using Sobot.Client.Models.Requests;
using Sobot.Client.Validation;

namespace SobotPS
{
    /// <summary>Send cmdlets of a media message: a public URL whose MIME type is given or inferred from its extension.</summary>
    public abstract class SendMediaMessageCmdlet : SendMessageCmdlet
    {
        /// <summary>A public http(s) URL that Sobot and Meta can fetch.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Link", "MediaUrl")]
        public Uri? Url { get; set; }

        protected abstract MediaKind Media { get; }

        /// <summary>The MIME type given with -MimeType, if the command has it.</summary>
        protected virtual string? GivenMimeType => null;

        protected string AbsoluteUrl
        {
            get
            {
                string url = Url?.IsAbsoluteUri == true ? Url.AbsoluteUri : Url?.OriginalString ?? string.Empty;
                Check.HttpUrl(url, "url");
                return url;
            }
        }

        protected string ResolveMimeType(string url) => MediaTypes.Resolve(url, GivenMimeType, Media.MimeTypes);
    }
}
