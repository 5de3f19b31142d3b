using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
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
            if (given.Count == 0) return;

            var header = given[0];
            request.HeaderType = header.Type;
            if (header.Type == "TEXT")
            {
                Check.MaxLength(header.Value, MaxHeaderLength, "Header");
                Check.NoEmoji(header.Value, "Header");
                NoMarkdown(header.Value!, "Header");
                request.Header = header.Value;
            }
            else
            {
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
            Compare("QuickReplyButton", string.Join("\n", wanted.Buttons ?? Array.Empty<string>()), string.Join("\n", Strings(existing.Buttons)));
            Compare("UrlButtonUrl", wanted.Url, existing.Url);
            Compare("UrlButtonText", wanted.UrlName, existing.UrlName);
            var phone = wanted.PhoneNumbers?.FirstOrDefault();
            var existingPhone = FirstPhone(existing.PhoneNumbers);
            Compare("PhoneButtonNumber", phone?.PhoneNumber, existingPhone.Number);
            Compare("PhoneButtonText", phone?.Text, existingPhone.Text);
            return differences;
        }

        private static IEnumerable<string> Strings(JsonElement? element)
        {
            if (element is not { ValueKind: JsonValueKind.Array } array) yield break;
            foreach (var item in array.EnumerateArray())
                yield return item.ValueKind == JsonValueKind.String ? item.GetString() ?? string.Empty
                    : item.ValueKind == JsonValueKind.Object && item.TryGetProperty("text", out var t) ? t.ToString() : item.ToString();
        }

        private static (string? Number, string? Text) FirstPhone(JsonElement? element)
        {
            if (element is not { ValueKind: JsonValueKind.Array } array) return (null, null);
            foreach (var item in array.EnumerateArray())
                if (item.ValueKind == JsonValueKind.Object)
                    return (item.TryGetProperty("phone_number", out var n) ? n.ToString() : null, item.TryGetProperty("text", out var t) ? t.ToString() : null);
            return (null, null);
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
