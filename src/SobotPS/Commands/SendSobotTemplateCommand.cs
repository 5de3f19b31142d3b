using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Sobot.Client;
using Sobot.Client.Models.Requests;
using Sobot.Client.Templates;
using Sobot.Client.Validation;
using SobotPS.Completers;

namespace SobotPS.Commands
{
    /// <summary>
    /// Sends an approved template: the only kind of message allowed outside the 24-hour window.
    /// The template's language and variable count come from the account's template list.
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "SobotTemplate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotMessageResult))]
    public sealed class SendSobotTemplateCommand : SendMessageCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("template_name", "Template")]
        [ArgumentCompleter(typeof(TemplateNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string TemplateName { get; set; } = string.Empty;

        /// <summary>The template's lang_code; looked up when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("template_lang", "Lang", "LangCode")]
        [ArgumentCompleter(typeof(TemplateLanguageCompleter))]
        [AllowNull, AllowEmptyString]
        public string? Language { get; set; }

        /// <summary>
        /// One value per {{n}} of the template body, in order: values, or a scriptblock read for each pipeline
        /// row ({ $_.OrderId }, or { $_.OrderId, $_.Status } for several). Typed object so that the scriptblock
        /// reaches the command: a row whose scriptblock throws is then a failed row like any other.
        /// </summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Parameters", "BodyParameters")]
        [AllowNull, AllowEmptyCollection, AllowEmptyString]
        public object? BodyParameter { get; set; }

        private readonly BodyParameterReader _body = new BodyParameterReader();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public Uri? HeaderImageUrl { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public Uri? HeaderVideoUrl { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public Uri? HeaderDocumentUrl { get; set; }

        /// <summary>The file name shown for a document header; the URL's last segment when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? HeaderDocumentFileName { get; set; }

        /// <summary>The value of the template header's {{1}}, for a text header that holds a variable.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public string? HeaderParameter { get; set; }

        /// <summary>The value that completes a dynamic website button's URL (the trailing {{1}}).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? UrlButtonParameter { get; set; }

        /// <summary>The website button's position, 0 or 1; 0 by default, as in the documented example of a template with a call and a website button.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 1)]
        public int UrlButtonIndex { get; set; }

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName)
        {
            var values = new TemplateSendValues
            {
                TemplateName = TemplateName,
                Language = Language,
                BodyParameters = _body.Read(BodyParameter, CurrentRow),
                HeaderParameter = HeaderParameter,
                HeaderImageUrl = Text(HeaderImageUrl),
                HeaderVideoUrl = Text(HeaderVideoUrl),
                HeaderDocumentUrl = Text(HeaderDocumentUrl),
                HeaderDocumentFileName = string.IsNullOrWhiteSpace(HeaderDocumentFileName) ? null : HeaderDocumentFileName,
                UrlButtonParameter = UrlButtonParameter,
                UrlButtonIndex = UrlButtonIndex,
            };
            var plan = Call(token => connection.Client.PlanTemplateMessageAsync(customerNumber, customerName, values, token));
            if (plan.Warning != null) WriteWarning(plan.Warning);
            return plan.Request;
        }

        private static string? Text(Uri? uri) => uri is null ? null : uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString;

        /// <summary>Each template value is the parameter of its name; the body values are -BodyParameter.</summary>
        protected override string? ParameterOfValue(string value) => value == nameof(TemplateSendValues.BodyParameters) ? nameof(BodyParameter) : HasParameter(value);

        protected override string Hint(Exception ex, bool fromPipeline) =>
            _body.Hint(ex, fromPipeline, MyInvocation.BoundParameters.ContainsKey(nameof(BodyParameter)));
    }
}
