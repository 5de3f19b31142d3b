using System.Collections.Generic;
using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary>A template message: no <c>type</c>; <c>template_name</c>, <c>template_lang</c> and optional <c>params</c>.</summary>
    public sealed class TemplateMessageRequest : SendMessageRequest
    {
        public TemplateMessageRequest(string customerNumber, string customerName, string templateName, string templateLang, IReadOnlyList<TemplateComponent>? components)
            : base(customerNumber, customerName)
        {
            TemplateName = templateName;
            TemplateLang = templateLang;
            Params = components is null || components.Count == 0 ? null : components;
        }

        public string TemplateName { get; }

        public string TemplateLang { get; }

        public IReadOnlyList<TemplateComponent>? Params { get; }

        protected override string Kind => "template";

        public override string Describe()
        {
            var parts = new List<string>();
            if (Params != null)
                foreach (var component in Params)
                {
                    var values = new List<string>();
                    foreach (var p in component.Parameters)
                        values.Add("'" + Preview(p.Text ?? (p.Image ?? p.Video ?? (MediaLinkBase?)p.Document)?.Link, 40) + "'");
                    string what = component.Type == "button" ? "URL button " + component.Index : component.Type;
                    parts.Add(what + " " + string.Join(", ", values));
                }
            return $"template '{TemplateName}' ({TemplateLang})" + (parts.Count == 0 ? " without parameters" : " with " + string.Join("; ", parts));
        }

        protected override void ValidateContent()
        {
            Check.RequiredMaxLength(TemplateName, 128, "template_name");
            Check.Required(TemplateLang, "template_lang");
            if (Params is null) return;
            int headers = 0;
            foreach (var component in Params)
            {
                component.Validate();
                if (component.Type == "header") headers++;
            }
            if (headers > 1)
                throw new SobotValidationException("params", "A template message takes at most one header: a text value or one media header (image, video or document).");
        }
    }
}
