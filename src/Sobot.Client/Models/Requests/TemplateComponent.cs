using System;
using System.Collections.Generic;
using System.Linq;
using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary>One entry of a template message's <c>params</c>: a body, a media header or a URL button.</summary>
    public sealed class TemplateComponent
    {
        private TemplateComponent(string type, IReadOnlyList<TemplateParameter> parameters, string? subType = null, int? index = null)
        {
            Type = type;
            Parameters = parameters;
            SubType = subType;
            Index = index;
        }

        public string Type { get; }

        public string? SubType { get; }

        public int? Index { get; }

        public IReadOnlyList<TemplateParameter> Parameters { get; }

        /// <summary>Body variables, one per <c>{{n}}</c> of the template body, in order.</summary>
        public static TemplateComponent Body(IEnumerable<string> values) =>
            new TemplateComponent("body", values.Select(TemplateParameter.OfText).ToList());

        /// <summary>The value of a text header's <c>{{1}}</c>: <c>{"type":"header","parameters":[{"type":"text","text":"Asha"}]}</c>.</summary>
        public static TemplateComponent HeaderText(string value) =>
            new TemplateComponent("header", new[] { TemplateParameter.OfText(value) });

        public static TemplateComponent ImageHeader(string link) =>
            new TemplateComponent("header", new[] { new TemplateParameter("image", image: new MediaLink(link)) });

        public static TemplateComponent VideoHeader(string link) =>
            new TemplateComponent("header", new[] { new TemplateParameter("video", video: new MediaLink(link)) });

        public static TemplateComponent DocumentHeader(string link, string? fileName) =>
            new TemplateComponent("header", new[] { new TemplateParameter("document", document: new DocumentLink(link, fileName)) });

        /// <summary>The value that replaces the trailing <c>{{1}}</c> of a CTA template's website button.</summary>
        public static TemplateComponent UrlButton(string value, int index) =>
            new TemplateComponent("button", new[] { TemplateParameter.OfText(value) }, "url", index);

        internal void Validate()
        {
            switch (Type)
            {
                case "body":
                    for (int i = 0; i < Parameters.Count; i++)
                        Check.Required(Parameters[i].Text, "params.body.parameters[" + i + "].text");
                    break;
                case "header":
                    var p = Parameters[0];
                    if (p.Type == "text") Check.Required(p.Text, "params.header.parameters[0].text");
                    else Check.HttpUrl((p.Image ?? p.Video ?? (MediaLinkBase?)p.Document)?.Link, "params.header." + p.Type + ".link");
                    break;
                case "button":
                    Check.Required(Parameters[0].Text, "params.button.parameters[0].text");
                    if (Index is null || Index < 0 || Index > 1)
                        throw new SobotValidationException("params.button.index", $"The URL button index is {Index}; it must be 0 or 1 (the button's position).");
                    break;
                default:
                    throw new InvalidOperationException("Unknown component type " + Type);
            }
        }
    }

    public sealed class TemplateParameter
    {
        internal TemplateParameter(string type, string? text = null, MediaLink? image = null, MediaLink? video = null, DocumentLink? document = null)
        {
            Type = type;
            Text = text;
            Image = image;
            Video = video;
            Document = document;
        }

        internal static TemplateParameter OfText(string value) => new TemplateParameter("text", text: value);

        public string Type { get; }
        public string? Text { get; }
        public MediaLink? Image { get; }
        public MediaLink? Video { get; }
        public DocumentLink? Document { get; }
    }

    public abstract class MediaLinkBase
    {
        protected MediaLinkBase(string link) { Link = link; }
        public string Link { get; }
    }

    public sealed class MediaLink : MediaLinkBase
    {
        public MediaLink(string link) : base(link) { }
    }

    public sealed class DocumentLink : MediaLinkBase
    {
        public DocumentLink(string link, string? filename) : base(link)
        {
            Filename = string.IsNullOrEmpty(filename) ? null : filename;
        }

        public string? Filename { get; }
    }
}
