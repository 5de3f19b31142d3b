using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sobot.Client.Models.Requests;
using Sobot.Client.Models.Responses;
using Sobot.Client.Validation;

namespace Sobot.Client.Templates
{
    /// <summary>
    /// The rules of a template send, in one place: the template is found (language looked up when not
    /// given) and must be approved; body and header values must match its variables; a media template
    /// needs its kind of header and a text template none; a dynamic website button needs its value and a
    /// static one none. With a language given and the template list unreadable, the message goes as given,
    /// with a warning, rather than not at all.
    /// </summary>
    public static class TemplateMessageBuilder
    {
        public const int MaxHeaderParameterLength = 60;

        public static async Task<TemplateSendPlan> BuildAsync(TemplateCatalog catalog, string customerNumber, string customerName, TemplateSendValues values, CancellationToken cancellationToken)
        {
            if (catalog is null) throw new ArgumentNullException(nameof(catalog));
            if (values is null) throw new ArgumentNullException(nameof(values));
            string name = (values.TemplateName ?? string.Empty).Trim();
            string? language = string.IsNullOrWhiteSpace(values.Language) ? null : values.Language!.Trim();
            Check.Required(name, "template_name");
            var mediaHeader = MediaHeader(values);

            TemplateRecord template;
            try
            {
                template = await catalog.ResolveAsync(name, language, cancellationToken).ConfigureAwait(false);
            }
            catch (SobotApiException ex) when (language != null && !ex.KeysRejected)
            {
                // With a language the send does not depend on the list: go on without the checks rather than block it.
                return new TemplateSendPlan(new TemplateMessageRequest(customerNumber, customerName, name, language, Unchecked(values, mediaHeader)),
                    $"Could not read the template list to check '{name}' ({ex.Message}); sending without checking its variables.");
            }

            var components = new List<TemplateComponent>();
            string label = $"The template '{template.EntityName}' ({template.LangCode})";

            // Header: a media header for a media template, a text value for a text header's {{1}}, else none.
            if (template.IsMedia)
            {
                string kind = (template.HeaderType ?? string.Empty).ToUpperInvariant();
                if (mediaHeader is null)
                    throw Mismatch(template, $"{label} is a media template with a{(kind == "IMAGE" ? "n" : "")} {kind.ToLowerInvariant()} header; give the header's {kind.ToLowerInvariant()} URL.", $"Header{Capitalize(kind)}Url");
                if (kind.Length > 0 && !string.Equals(mediaHeader.Parameters[0].Type, kind, StringComparison.OrdinalIgnoreCase))
                    throw Mismatch(template, $"{label} has a{(kind == "IMAGE" ? "n" : "")} {kind.ToLowerInvariant()} header, not a{(mediaHeader.Parameters[0].Type == "image" ? "n" : "")} {mediaHeader.Parameters[0].Type} one; give the header's {kind.ToLowerInvariant()} URL instead.", $"Header{Capitalize(kind)}Url");
                components.Add(mediaHeader);
            }
            else if (mediaHeader != null)
            {
                throw Mismatch(template, $"{label} has no media header; give no header image, video or document URL.", "HeaderImageUrl", "HeaderVideoUrl", "HeaderDocumentUrl");
            }

            bool headerValue = values.HeaderParameter != null;
            if (template.HeaderVariableCount > 0 && !headerValue)
                throw Mismatch(template, $"{label} has a variable in its header ('{template.Header}'); give its value.", "HeaderParameter");
            if (template.HeaderVariableCount == 0 && headerValue)
                throw Mismatch(template, $"{label} has no variable in its header; give no header value.", "HeaderParameter");
            if (headerValue)
            {
                Check.RequiredMaxLength(values.HeaderParameter, MaxHeaderParameterLength, "params.header.parameters[0].text");
                components.Add(TemplateComponent.HeaderText(values.HeaderParameter!));
            }

            CheckBody(template, values.BodyParameters.Count);
            if (values.BodyParameters.Count > 0) components.Add(TemplateComponent.Body(values.BodyParameters.Select(v => v ?? string.Empty)));

            bool hasButtonValue = !string.IsNullOrEmpty(values.UrlButtonParameter);
            if (template.HasDynamicUrlButton && !hasButtonValue)
                throw Mismatch(template, $"{label} has a dynamic website button ({template.Url}{(string.IsNullOrEmpty(template.ExampleWebsite) ? string.Empty : ", e.g. " + template.ExampleWebsite)}); give the value that completes its URL.", "UrlButtonParameter");
            if (!template.HasDynamicUrlButton && hasButtonValue)
                throw Mismatch(template, $"{label} has no dynamic website button; give no button value.", "UrlButtonParameter");
            if (hasButtonValue) components.Add(TemplateComponent.UrlButton(values.UrlButtonParameter!, values.UrlButtonIndex));

            return new TemplateSendPlan(new TemplateMessageRequest(customerNumber, customerName, template.EntityName ?? name, template.LangCode ?? language ?? string.Empty, components), null);
        }

        private static void CheckBody(TemplateRecord template, int given) => TemplateCatalog.CheckBodyParameters(template, given);

        /// <summary>The components exactly as given, when the template could not be read.</summary>
        private static List<TemplateComponent> Unchecked(TemplateSendValues values, TemplateComponent? mediaHeader)
        {
            var components = new List<TemplateComponent>();
            if (mediaHeader != null) components.Add(mediaHeader);
            if (values.HeaderParameter != null) components.Add(TemplateComponent.HeaderText(values.HeaderParameter));
            if (values.BodyParameters.Count > 0) components.Add(TemplateComponent.Body(values.BodyParameters.Select(v => v ?? string.Empty)));
            if (!string.IsNullOrEmpty(values.UrlButtonParameter)) components.Add(TemplateComponent.UrlButton(values.UrlButtonParameter!, values.UrlButtonIndex));
            return components;
        }

        private static TemplateComponent? MediaHeader(TemplateSendValues values)
        {
            int given = new[] { values.HeaderImageUrl, values.HeaderVideoUrl, values.HeaderDocumentUrl }.Count(u => !string.IsNullOrEmpty(u));
            if (given > 1)
                throw new SobotValidationException("params.header", "The header image, video and document URLs clash: a template has one media header; give only one of them.");
            if (given == 1 && values.HeaderParameter != null)
                throw new SobotValidationException("params.header", "A header value and a media header URL clash: a template's header is text or media, not both.");
            if (!string.IsNullOrEmpty(values.HeaderImageUrl)) return TemplateComponent.ImageHeader(Link(values.HeaderImageUrl!, "params.header.image.link"));
            if (!string.IsNullOrEmpty(values.HeaderVideoUrl)) return TemplateComponent.VideoHeader(Link(values.HeaderVideoUrl!, "params.header.video.link"));
            if (!string.IsNullOrEmpty(values.HeaderDocumentUrl))
            {
                string link = Link(values.HeaderDocumentUrl!, "params.header.document.link");
                string? fileName = values.HeaderDocumentFileName;
                if (string.IsNullOrWhiteSpace(fileName) && Uri.TryCreate(link, UriKind.Absolute, out var uri))
                    fileName = Uri.UnescapeDataString(uri.Segments.LastOrDefault()?.TrimEnd('/') ?? string.Empty);
                return TemplateComponent.DocumentHeader(link, fileName);
            }
            if (!string.IsNullOrEmpty(values.HeaderDocumentFileName))
                throw new SobotValidationException("params.header.document.filename", "A header document file name goes with a header document URL.");
            return null;
        }

        private static string Link(string url, string field)
        {
            Check.HttpUrl(url, field);
            return url;
        }

        private static SobotTemplateException Mismatch(TemplateRecord template, string message, params string[] values) =>
            new SobotTemplateException(SobotTemplateProblem.ParameterCountMismatch, template.EntityName ?? string.Empty, message, values);

        private static string Capitalize(string s) =>
            s.Length == 0 ? string.Empty : s.Substring(0, 1).ToUpperInvariant() + s.Substring(1).ToLowerInvariant();
    }
}
