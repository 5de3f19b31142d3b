using System.Management.Automation;

namespace SobotPS
{
    /// <summary>Quick-reply, list and product messages: a body of up to 1024 characters, a header and a footer.</summary>
    public abstract class SendInteractiveMessageCmdlet : SendMessageCmdlet
    {
        /// <summary>The body text, up to 1024 characters.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Text", "Body")]
        [AllowEmptyString]
        public string Message { get; set; } = string.Empty;

        /// <summary>Up to 60 characters.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? Header { get; set; }

        /// <summary>Up to 60 characters; sent as the contract's caption, which WhatsApp renders as the footer.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("caption")]
        [AllowNull, AllowEmptyString]
        public string? Footer { get; set; }
    }
}
