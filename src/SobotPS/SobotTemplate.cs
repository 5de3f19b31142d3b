using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Sobot.Client.Models.Responses;
using Sobot.Client.Templates;

namespace SobotPS
{
    /// <summary>A template of the account, as Get-SobotTemplate returns it.</summary>
    public sealed class SobotTemplate
    {
        internal SobotTemplate(TemplateRecord r)
        {
            Id = r.Id;
            Name = r.EntityName ?? string.Empty;
            Language = r.LangCode ?? string.Empty;
            Category = r.Category;
            Status = Enum.IsDefined(typeof(SobotTemplateStatus), r.Status) ? (SobotTemplateStatus)r.Status : (SobotTemplateStatus?)null;
            Body = r.Template ?? string.Empty;
            VariableCount = TemplateBody.CountVariables(r.Template);
            TemplateType = r.TemplateType;
            HeaderType = r.HeaderType;
            Header = r.Header;
            Footer = r.Footer;
            Buttons = Texts(r.Buttons);
            SubType = r.SubType;
            Url = r.Url;
            UrlName = r.UrlName;
            PhoneNumbers = Texts(r.PhoneNumbers);
            Example = r.Example;
            ExampleWebsite = r.ExampleWebsite;
            RejectedReason = r.RejectedReason;
            MetaTemplateId = r.TemplateId;
            CreatedAt = Date(r.CreatedAt);
            UpdatedAt = Date(r.UpdatedAt);
            AddedBy = r.AddedBy;
        }

        public long Id { get; }
        /// <summary>The entity_name a template send names.</summary>
        public string Name { get; }
        /// <summary>The lang_code, e.g. en or en_US.</summary>
        public string Language { get; }
        public string? Category { get; }
        /// <summary>Null when Sobot reports a status this version does not know.</summary>
        public SobotTemplateStatus? Status { get; }
        public string Body { get; }
        /// <summary>How many -BodyParameter values a send needs.</summary>
        public int VariableCount { get; }
        public string? TemplateType { get; }
        public string? HeaderType { get; }
        public string? Header { get; }
        public string? Footer { get; }
        public string[] Buttons { get; }
        public string? SubType { get; }
        public string? Url { get; }
        public string? UrlName { get; }
        /// <summary>Call buttons as "text: number".</summary>
        public string[] PhoneNumbers { get; }
        public string? Example { get; }
        public string? ExampleWebsite { get; }
        public string? RejectedReason { get; }
        /// <summary>Meta's template id (template_id).</summary>
        public string? MetaTemplateId { get; }
        public DateTimeOffset? CreatedAt { get; }
        public DateTimeOffset? UpdatedAt { get; }
        public long? AddedBy { get; }

        public override string ToString() => Name + " (" + Language + ")";

        private static DateTimeOffset? Date(string? text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : (DateTimeOffset?)null;

        private static string[] Texts(JsonElement? element)
        {
            if (element is not { ValueKind: JsonValueKind.Array } array) return Array.Empty<string>();
            return array.EnumerateArray().Select(item =>
            {
                if (item.ValueKind == JsonValueKind.String) return item.GetString() ?? string.Empty;
                if (item.ValueKind == JsonValueKind.Object)
                {
                    string text = item.TryGetProperty("text", out var t) ? t.ToString() : string.Empty;
                    return item.TryGetProperty("phone_number", out var n) ? text + ": " + n : text;
                }
                return item.ToString();
            }).ToArray();
        }
    }
}
