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

        private bool _bodyFromScript;
        private string[] _bodyValues = Array.Empty<string>();

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

        /// <summary>The value that completes a dynamic website button's URL (the trailing {{1}}).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? UrlButtonParameter { get; set; }

        /// <summary>The button's position, 0 or 1.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 1)]
        public int UrlButtonIndex { get; set; }

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName)
        {
            string? language = string.IsNullOrWhiteSpace(Language) ? null : Language!.Trim();
            // Usually answered from the cache; a miss lists the templates on this thread (no synchronization context, no deadlock).
            Sobot.Client.Models.Responses.TemplateRecord? template = null;
            try
            {
                using (TraceListening()) template = connection.Client.Templates.Resolve(TemplateName.Trim(), language, CancellationToken);
            }
            catch (SobotApiException ex) when (language != null && ex.Kind != SobotErrorKind.Unauthorized)
            {
                // With -Language the send does not depend on the list: go on without the pre-checks rather than block it.
                WriteWarning($"Could not read the template list to check '{TemplateName}' ({ex.Message}); sending without checking its variables.");
            }
            finally
            {
                FlushTrace();
            }
            if (template is null)
                return new TemplateMessageRequest(customerNumber, customerName, TemplateName.Trim(), language!, Unchecked());

            var values = BodyValues();
            TemplateCatalog.CheckBodyParameters(template, values.Length);

            var components = new List<TemplateComponent>();
            var header = BuildHeader();
            bool media = string.Equals(template.TemplateType, "MEDIA", StringComparison.OrdinalIgnoreCase);
            if (media && header is null)
                throw Mismatch(template.EntityName, $"is a media template with a{(template.HeaderType?.ToUpperInvariant() == "IMAGE" ? "n" : "")} {template.HeaderType?.ToLowerInvariant()} header; pass -Header{Capitalize(template.HeaderType)}Url.");
            if (!media && header != null)
                throw Mismatch(template.EntityName, "has no media header; remove -HeaderImageUrl, -HeaderVideoUrl and -HeaderDocumentUrl.");
            if (header != null) components.Add(header);
            if (values.Length > 0) components.Add(TemplateComponent.Body(values.Select(v => v ?? string.Empty)));

            bool dynamicUrl = template.Url?.TrimEnd().EndsWith("{{1}}", StringComparison.Ordinal) == true;
            bool hasButtonValue = !string.IsNullOrEmpty(UrlButtonParameter);
            if (dynamicUrl && !hasButtonValue)
                throw Mismatch(template.EntityName, $"has a dynamic website button ({template.Url}); pass -UrlButtonParameter with the value for {{{{1}}}}.");
            if (!dynamicUrl && hasButtonValue)
                throw Mismatch(template.EntityName, "has no dynamic website button; remove -UrlButtonParameter.");
            if (hasButtonValue) components.Add(TemplateComponent.UrlButton(UrlButtonParameter!, UrlButtonIndex));

            return new TemplateMessageRequest(customerNumber, customerName, template.EntityName ?? TemplateName, template.LangCode ?? language ?? string.Empty, components);
        }

        /// <summary>The components exactly as the parameters give them, when the template could not be read.</summary>
        private List<TemplateComponent> Unchecked()
        {
            var components = new List<TemplateComponent>();
            if (BuildHeader() is { } header) components.Add(header);
            var values = BodyValues();
            if (values.Length > 0) components.Add(TemplateComponent.Body(values.Select(v => v ?? string.Empty)));
            if (!string.IsNullOrEmpty(UrlButtonParameter)) components.Add(TemplateComponent.UrlButton(UrlButtonParameter!, UrlButtonIndex));
            return components;
        }

        /// <summary>The body values of this row: given values as they are, scriptblocks run against the row.</summary>
        private string[] BodyValues()
        {
            _bodyFromScript = false;
            var values = new List<string>();
            int position = 0;
            foreach (var item in Items(BodyParameter))
            {
                position++;
                var value = item is PSObject ps ? ps.BaseObject : item;
                if (value is ScriptBlock script)
                {
                    _bodyFromScript = true;
                    System.Collections.ObjectModel.Collection<PSObject> results;
                    try
                    {
                        var row = new List<PSVariable> { new PSVariable("_", CurrentRow), new PSVariable("PSItem", CurrentRow) };
                        results = script.InvokeWithContext(null, row);
                    }
                    catch (Exception ex) when (ex is RuntimeException || ex is ArgumentException || ex is InvalidOperationException)
                    {
                        throw new RowInputException(nameof(BodyParameter), $"-BodyParameter {{ {script.ToString().Trim()} }} failed for this row: {ex.Message}", ex);
                    }
                    if (results.Count == 0) values.Add(null!);
                    foreach (var result in results) values.Add(result is null ? null! : LanguagePrimitives.ConvertTo<string>(result));
                }
                else
                {
                    values.Add(value is null ? null! : LanguagePrimitives.ConvertTo<string>(value));
                }
            }
            _bodyValues = values.ToArray();
            return _bodyValues;
        }

        private static IEnumerable<object?> Items(object? value)
        {
            var unwrapped = value is PSObject ps ? ps.BaseObject : value;
            if (unwrapped is null) yield break;
            if (unwrapped is string || unwrapped is ScriptBlock || !(unwrapped is System.Collections.IEnumerable items))
            {
                yield return unwrapped;
                yield break;
            }
            foreach (var item in items) yield return item;
        }

        /// <summary>The two commonest -BodyParameter mistakes, in PowerShell's words.</summary>
        protected override string Hint(Exception ex, bool fromPipeline)
        {
            bool aboutBody = ex is SobotTemplateException || (ex is SobotValidationException v && v.Field.StartsWith("params.body", StringComparison.Ordinal));
            if (!aboutBody) return string.Empty;
            if (fromPipeline && !_bodyFromScript && MyInvocation.BoundParameters.ContainsKey(nameof(BodyParameter)) && (_bodyValues.Length == 0 || _bodyValues.Any(string.IsNullOrEmpty)))
                return " If you wrote -BodyParameter $_.Column, put it in braces: -BodyParameter { $_.Column }. Without them $_ is read once, before any row arrives, so every row gets the same (empty) value.";
            if (_bodyValues.Length == 1 && _bodyValues[0]?.IndexOf(',') >= 0 && ex is SobotTemplateException)
                return $" -BodyParameter got one string with commas ('{_bodyValues[0]}'); for several variables pass an array: -BodyParameter 'a', 'b' (or {{ $_.A, $_.B }}).";
            if (_bodyValues.Any(string.IsNullOrEmpty) && fromPipeline)
                return " An empty CSV cell gives an empty value: fill it in for this row.";
            return string.Empty;
        }

        private TemplateComponent? BuildHeader()
        {
            var given = new[] { HeaderImageUrl, HeaderVideoUrl, HeaderDocumentUrl }.Count(u => u != null);
            if (given > 1)
                throw new SobotValidationException("params.header", "-HeaderImageUrl, -HeaderVideoUrl and -HeaderDocumentUrl clash: a template has one media header; give only one of them.");
            if (HeaderImageUrl != null) return TemplateComponent.ImageHeader(Absolute(HeaderImageUrl, "params.header.image.link"));
            if (HeaderVideoUrl != null) return TemplateComponent.VideoHeader(Absolute(HeaderVideoUrl, "params.header.video.link"));
            if (HeaderDocumentUrl != null)
            {
                string link = Absolute(HeaderDocumentUrl, "params.header.document.link");
                string? fileName = string.IsNullOrWhiteSpace(HeaderDocumentFileName)
                    ? Uri.UnescapeDataString(HeaderDocumentUrl.Segments.LastOrDefault()?.TrimEnd('/') ?? string.Empty)
                    : HeaderDocumentFileName;
                return TemplateComponent.DocumentHeader(link, fileName);
            }
            if (!string.IsNullOrEmpty(HeaderDocumentFileName))
                throw new SobotValidationException("params.header.document.filename", "-HeaderDocumentFileName goes with -HeaderDocumentUrl.");
            return null;
        }

        private static string Absolute(Uri uri, string field)
        {
            string text = uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString;
            Check.HttpUrl(text, field);
            return text;
        }

        private static SobotTemplateException Mismatch(string? name, string what) =>
            new SobotTemplateException(SobotTemplateProblem.ParameterCountMismatch, name ?? string.Empty, $"The template '{name}' {what}");

        private static string Capitalize(string? s) =>
            string.IsNullOrEmpty(s) ? string.Empty : s!.Substring(0, 1).ToUpperInvariant() + s.Substring(1).ToLowerInvariant();
    }
}
