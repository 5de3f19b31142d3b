using System.Collections.Generic;

namespace Sobot.Client.Models.Requests
{
    /// <summary>The body of <c>POST /api/template/</c>; built and checked by <see cref="Templates.TemplateDefinition"/>.</summary>
    public sealed class CreateTemplateRequest
    {
        public string Category { get; internal set; } = string.Empty;
        public string EntityName { get; internal set; } = string.Empty;
        public string TemplateType { get; internal set; } = "TEXT";
        public string Body { get; internal set; } = string.Empty;
        public string LangCode { get; internal set; } = "en_US";
        public ExampleBodyParam? ExampleBodyParam { get; internal set; }
        public ExampleHeaderParam? ExampleHeaderParam { get; internal set; }
        public string? HeaderType { get; internal set; }
        public string? Header { get; internal set; }
        public string? Example { get; internal set; }
        public string? Footer { get; internal set; }
        public IReadOnlyList<string>? Buttons { get; internal set; }
        public string? SubType { get; internal set; }
        public IReadOnlyList<PhoneNumberButton>? PhoneNumbers { get; internal set; }
        public string? Url { get; internal set; }
        public string? UrlName { get; internal set; }
        public string? ExampleWebsite { get; internal set; }
    }

    /// <summary><c>{"body_text":[["WhatsApp","Cloud API"]]}</c>: one sample per body variable.</summary>
    public sealed class ExampleBodyParam
    {
        public ExampleBodyParam(IReadOnlyList<string> samples) => BodyText = new[] { samples };

        public IReadOnlyList<IReadOnlyList<string>> BodyText { get; }
    }

    /// <summary>
    /// <c>{"header_text":["Asha"]}</c>: the sample of a text header's <c>{{1}}</c>. The field name is documented;
    /// its inner shape is inferred from <c>example_body_param</c> and WhatsApp's own <c>header_text</c>
    /// (a flat list, as a header has one variable).
    /// </summary>
    public sealed class ExampleHeaderParam
    {
        public ExampleHeaderParam(string sample) => HeaderText = new[] { sample };

        public IReadOnlyList<string> HeaderText { get; }
    }

    public sealed class PhoneNumberButton
    {
        public PhoneNumberButton(string phoneNumber, string text)
        {
            PhoneNumber = phoneNumber;
            Text = text;
        }

        public string PhoneNumber { get; }
        public string Text { get; }
    }
}
