using System;
using System.Collections.Generic;
using System.Linq;
using Sobot.Client.Models.Requests;
using Sobot.Client.Models.Responses;
using Sobot.Client.Validation;

namespace Sobot.Client.Templates
{
    /// <summary>
    /// A template as a person describes it (New-SobotTemplate's parameters, or one entry of a templates-as-code
    /// file), mapped onto the documented create body, and compared with what the account holds.
    /// </summary>
    public sealed class TemplateDefinition
    {
        public const int MaxNameLength = 128;
        public const int MaxBodyLength = 1024;
        public const int MaxHeaderLength = 60;
        public const int MaxFooterLength = 60;
        public const int MaxButtonTextLength = 20;
        public const string DefaultLanguage = "en_US";
        public static readonly IReadOnlyCollection<string> Categories = new[] { "MARKETING", "UTILITY", "AUTHENTICATION" };

        public string? Name { get; set; }
        public string? Category { get; set; }
        public string? Body { get; set; }
        public string? Language { get; set; }
        public string[]? BodyExample { get; set; }
        public string? Header { get; set; }
        /// <summary>The sample for a text header's <c>{{1}}</c>.</summary>
        public string? HeaderExample { get; set; }
        public string? HeaderImageExample { get; set; }
        public string? HeaderVideoExample { get; set; }
        public string? HeaderDocumentExample { get; set; }
        public string? Footer { get; set; }
        public string[]? QuickReplyButton { get; set; }
        public string? PhoneButtonText { get; set; }
        public string? PhoneButtonNumber { get; set; }
        public string? UrlButtonText { get; set; }
        public string? UrlButtonUrl { get; set; }
        public string? UrlButtonExample { get; set; }

        /// <summary>The name as Sobot stores it: spaces become '_'.</summary>
        public string EntityName => (Name ?? string.Empty).Trim().Replace(' ', '_');

        public string LangCode => string.IsNullOrWhiteSpace(Language) ? DefaultLanguage : Language!.Trim();

        /// <summary>Builds the create body; throws <see cref="SobotValidationException"/> naming the clashing or out-of-limit fields.</summary>
        public CreateTemplateRequest ToRequest(PhoneNumberNormalizer? phoneNumbers = null)
        {
            Check.RequiredMaxLength(EntityName, MaxNameLength, "Name");
            Check.RequiredMaxLength(Body, MaxBodyLength, "Body");
            string category = (Category ?? string.Empty).Trim().ToUpperInvariant();
            if (category.Length == 0) throw new SobotValidationException("Category", "Category is required: Marketing, Utility or Authentication.");
            Check.OneOf(category, Categories, "Category");
            var request = new CreateTemplateRequest { Category = category, EntityName = EntityName, Body = Body!, LangCode = LangCode };

            int variables = TemplateBody.CountVariables(Body);
            int samples = BodyExample?.Length ?? 0;
            if (variables != samples)
                throw new SobotValidationException("BodyExample", variables == 0
                    ? $"BodyExample gives {samples} sample(s) but the body has no {{{{n}}}} variables."
                    : $"The body has {variables} variable(s) ({{{{1}}}}..{{{{{variables}}}}}); BodyExample must give exactly {variables} sample value(s), it gives {samples}.");
            if (variables > 0)
            {
                for (int i = 0; i < samples; i++) Check.Required(BodyExample![i], "BodyExample[" + i + "]");
                request.ExampleBodyParam = new ExampleBodyParam(BodyExample!);
            }

            ApplyHeader(request);

            if (!string.IsNullOrEmpty(Footer))
            {
                Check.MaxLength(Footer, MaxFooterLength, "Footer");
                NoMarkdown(Footer!, "Footer");
                request.Footer = Footer;
            }

            ApplyButtons(request, phoneNumbers ?? new PhoneNumberNormalizer());
            return request;
        }

        private void ApplyHeader(CreateTemplateRequest request)
        {
            var given = new (string Name, string? Value, string Type)[]
            {
                ("Header", Header, "TEXT"), ("HeaderImageExample", HeaderImageExample, "IMAGE"),
                ("HeaderVideoExample", HeaderVideoExample, "VIDEO"), ("HeaderDocumentExample", HeaderDocumentExample, "DOCUMENT"),
            }.Where(h => !string.IsNullOrEmpty(h.Value)).ToList();
            if (given.Count > 1)
                throw new SobotValidationException("Header", $"{string.Join(" and ", given.Select(h => h.Name))} clash: a template has one header, text or media.");
            if (given.Count == 0)
            {
                if (!string.IsNullOrEmpty(HeaderExample))
                    throw new SobotValidationException("HeaderExample", "A header example goes with a text header that holds {{1}}.");
                return;
            }

            var header = given[0];
            request.HeaderType = header.Type;
            if (header.Type == "TEXT")
            {
                Check.MaxLength(header.Value, MaxHeaderLength, "Header");
                Check.NoEmoji(header.Value, "Header");
                NoMarkdown(header.Value!, "Header");
                request.Header = header.Value;
                // A text header may hold one variable, {{1}}, and then needs a sample (example_header_param).
                int variables = TemplateBody.CountVariables(header.Value);
                int placeholders = CountOf(header.Value!, "{{");
                if (variables > 1 || placeholders > 1 || (placeholders == 1 && variables != 1))
                    throw new SobotValidationException("Header", $"The header '{header.Value}' may hold one variable only, written {{{{1}}}}.");
                if (variables == 1)
                {
                    if (string.IsNullOrWhiteSpace(HeaderExample))
                        throw new SobotValidationException("HeaderExample", $"The header '{header.Value}' has a variable ({{{{1}}}}): HeaderExample must give a sample value for it.");
                    Check.MaxLength(HeaderExample, MaxHeaderLength, "HeaderExample");
                    request.ExampleHeaderParam = new ExampleHeaderParam(HeaderExample!);
                }
                else if (!string.IsNullOrEmpty(HeaderExample))
                {
                    throw new SobotValidationException("HeaderExample", "HeaderExample goes with a header that holds {{1}}; this header has no variable.");
                }
            }
            else
            {
                if (!string.IsNullOrEmpty(HeaderExample))
                    throw new SobotValidationException("HeaderExample", $"HeaderExample goes with a text header that holds {{{{1}}}}, not with {header.Name}.");
                Check.HttpUrl(header.Value, header.Name);
                request.TemplateType = "MEDIA";
                request.Example = header.Value;
            }
        }

        private void ApplyButtons(CreateTemplateRequest request, PhoneNumberNormalizer phoneNumbers)
        {
            bool quick = QuickReplyButton is { Length: > 0 };
            bool phone = !string.IsNullOrEmpty(PhoneButtonText) || !string.IsNullOrEmpty(PhoneButtonNumber);
            bool url = !string.IsNullOrEmpty(UrlButtonText) || !string.IsNullOrEmpty(UrlButtonUrl) || !string.IsNullOrEmpty(UrlButtonExample);
            if (quick && (phone || url))
                throw new SobotValidationException("QuickReplyButton",
                    $"QuickReplyButton and {(phone ? "PhoneButtonText/PhoneButtonNumber" : "UrlButtonText/UrlButtonUrl")} clash: a template has quick-reply buttons or call-to-action buttons, not both.");

            if (quick)
            {
                Check.Buttons(QuickReplyButton, 3, MaxButtonTextLength, "QuickReplyButton");
                request.Buttons = QuickReplyButton;
            }

            if (phone)
            {
                if (string.IsNullOrEmpty(PhoneButtonText) || string.IsNullOrEmpty(PhoneButtonNumber))
                    throw new SobotValidationException("PhoneButtonText", "PhoneButtonText and PhoneButtonNumber go together: give both for a call button.");
                Check.MaxLength(PhoneButtonText, MaxButtonTextLength, "PhoneButtonText");
                request.PhoneNumbers = new[] { new PhoneNumberButton(phoneNumbers.Normalize(PhoneButtonNumber, "PhoneButtonNumber"), PhoneButtonText!) };
                request.SubType = "CTA";
            }

            if (url)
            {
                if (string.IsNullOrEmpty(UrlButtonText) || string.IsNullOrEmpty(UrlButtonUrl))
                    throw new SobotValidationException("UrlButtonText", "UrlButtonText and UrlButtonUrl go together: give both for a website button.");
                Check.MaxLength(UrlButtonText, MaxButtonTextLength, "UrlButtonText");
                string target = UrlButtonUrl!.Trim();
                int placeholders = CountOf(target, "{{");
                bool dynamic = target.EndsWith("{{1}}", StringComparison.Ordinal);
                if (placeholders > 1 || (placeholders == 1 && !dynamic))
                    throw new SobotValidationException("UrlButtonUrl", $"UrlButtonUrl '{target}' may hold only one variable, {{{{1}}}}, at its very end.");
                Check.HttpUrl(dynamic ? target.Substring(0, target.Length - 5) : target, "UrlButtonUrl");
                if (dynamic)
                {
                    if (string.IsNullOrEmpty(UrlButtonExample))
                        throw new SobotValidationException("UrlButtonExample", $"UrlButtonUrl '{target}' is dynamic (ends in {{{{1}}}}): UrlButtonExample must give a full example URL.");
                    Check.HttpUrl(UrlButtonExample, "UrlButtonExample");
                    request.ExampleWebsite = UrlButtonExample;
                }
                else if (!string.IsNullOrEmpty(UrlButtonExample))
                    throw new SobotValidationException("UrlButtonExample", "UrlButtonExample goes with a dynamic UrlButtonUrl (one ending in {{1}}); this URL is static.");
                request.Url = target;
                request.UrlName = UrlButtonText;
                request.SubType = "CTA";
            }
        }

        /// <summary>What differs between this definition and the account's template ("Body", "Footer", ...); empty when none.</summary>
        public IReadOnlyList<string> DifferencesFrom(TemplateRecord existing, PhoneNumberNormalizer? phoneNumbers = null)
        {
            var wanted = ToRequest(phoneNumbers);
            var differences = new List<string>();
            void Compare(string field, string? a, string? b, bool ignoreCase = false)
            {
                string left = (a ?? string.Empty).Trim(), right = (b ?? string.Empty).Trim();
                if (!string.Equals(left, right, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)) differences.Add(field);
            }
            Compare("Category", wanted.Category, existing.Category, ignoreCase: true);
            Compare("Body", wanted.Body, existing.Template);
            Compare("HeaderType", wanted.HeaderType, existing.HeaderType, ignoreCase: true);
            Compare("Header", wanted.Header, existing.Header);
            Compare("Footer", wanted.Footer, existing.Footer);
            Compare("QuickReplyButton", string.Join("\n", wanted.Buttons ?? Array.Empty<string>()), string.Join("\n", existing.Buttons));
            // The list documents url as "the static part of URL": compare without a trailing {{1}}.
            Compare("UrlButtonUrl", StaticPart(wanted.Url), StaticPart(existing.Url));
            Compare("UrlButtonText", wanted.UrlName, existing.UrlName);
            var phone = wanted.PhoneNumbers?.FirstOrDefault();
            var existingPhone = existing.PhoneButtons.FirstOrDefault();
            Compare("PhoneButtonNumber", phone?.PhoneNumber, existingPhone?.PhoneNumber);
            Compare("PhoneButtonText", phone?.Text, existingPhone?.Text);
            return differences;
        }

        private static string? StaticPart(string? url)
        {
            string? trimmed = url?.Trim();
            return trimmed != null && trimmed.EndsWith("{{1}}", StringComparison.Ordinal) ? trimmed.Substring(0, trimmed.Length - 5) : trimmed;
        }

        private static void NoMarkdown(string value, string field)
        {
            if (value.IndexOfAny(new[] { '*', '_', '~', '`' }) >= 0)
                throw new SobotValidationException(field, $"The field '{field}' cannot contain markdown (*, _, ~ or `).");
        }

        private static int CountOf(string text, string part)
        {
            int count = 0;
            for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
            return count;
        }
    }
}
