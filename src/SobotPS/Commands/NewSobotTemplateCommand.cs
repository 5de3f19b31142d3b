using System;
using System.Linq;
using System.Management.Automation;
using Sobot.Client;
using Sobot.Client.Templates;

namespace SobotPS.Commands
{
    /// <summary>
    /// Creates a template (text, with variables, quick-reply buttons, call-to-action phone and/or website,
    /// or an image, video or document header). It starts pending until Meta approves or rejects it.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SobotTemplate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotTemplate))]
    public sealed class NewSobotTemplateCommand : TemplateCmdlet
    {
        /// <summary>Unique per account, up to 128 characters; spaces become '_'.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("entity_name", "TemplateName")]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public SobotTemplateCategory Category { get; set; }

        /// <summary>Up to 1024 characters; variables {{1}}, {{2}}, …</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Template")]
        public string Body { get; set; } = string.Empty;

        /// <summary>The lang_code (en, en_US, en_GB, hi, mr, …); en_US when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("lang_code", "LangCode")]
        [ArgumentCompleter(typeof(Completers.LanguageCodeCompleter))]
        public string Language { get; set; } = TemplateDefinition.DefaultLanguage;

        /// <summary>One sample value per body variable, in order.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SobotListTransformation]
        public string[]? BodyExample { get; set; }

        /// <summary>A text header, up to 60 characters, no emoji or markdown.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Header { get; set; }

        /// <summary>A sample value for the header's {{1}} (a text header may hold one variable).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? HeaderExample { get; set; }

        /// <summary>Public URL of a sample image: makes a MEDIA template with an image header.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? HeaderImageExample { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? HeaderVideoExample { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? HeaderDocumentExample { get; set; }

        /// <summary>Up to 60 characters, emoji allowed, no markdown.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Footer { get; set; }

        /// <summary>1 to 3 unique quick-reply labels, up to 20 characters each.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SobotListTransformation]
        public string[]? QuickReplyButton { get; set; }

        /// <summary>Label of a call button (up to 20 characters); goes with -PhoneButtonNumber.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? PhoneButtonText { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? PhoneButtonNumber { get; set; }

        /// <summary>Label of a website button (up to 20 characters); goes with -UrlButtonUrl.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? UrlButtonText { get; set; }

        /// <summary>A static URL, or a dynamic one ending in {{1}} (then -UrlButtonExample is required).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? UrlButtonUrl { get; set; }

        /// <summary>A full example URL for a dynamic -UrlButtonUrl.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? UrlButtonExample { get; set; }

        protected override void ProcessRecord()
        {
            var connection = ResolveConnection();
            var definition = new TemplateDefinition
            {
                Name = Name, Category = Category.ToString(), Body = Body, Language = Language, BodyExample = BodyExample,
                Header = Header, HeaderExample = HeaderExample, HeaderImageExample = HeaderImageExample, HeaderVideoExample = HeaderVideoExample,
                HeaderDocumentExample = HeaderDocumentExample, Footer = Footer, QuickReplyButton = QuickReplyButton,
                PhoneButtonText = PhoneButtonText, PhoneButtonNumber = PhoneButtonNumber,
                UrlButtonText = UrlButtonText, UrlButtonUrl = UrlButtonUrl, UrlButtonExample = UrlButtonExample,
            };
            if (definition.EntityName != Name)
                WriteWarning($"The template name '{Name}' becomes '{definition.EntityName}': Sobot stores names without spaces (each becomes _). Use '{definition.EntityName}' with Send-SobotTemplate.");
            if (CreateTemplate(connection, definition, Name) != TemplateCreation.Created) return;
            // The create answer carries no template: read it back for its id and status.
            Sobot.Client.Models.Responses.TemplateRecord? created = null;
            try
            {
                created = Call(token => connection.Client.Templates.GetAllAsync(refresh: true, token))
                    .FirstOrDefault(t => t.EntityName == definition.EntityName && string.Equals(t.LangCode, definition.LangCode, StringComparison.OrdinalIgnoreCase));
            }
            catch (SobotApiException ex)
            {
                WriteVerbose("The template was created, but listing it failed: " + ex.Message);
            }
            if (created != null) WriteObject(new SobotTemplate(created));
            else WriteWarning($"Sobot accepted the template '{definition.EntityName}' but does not list it yet.");
        }
    }
}
