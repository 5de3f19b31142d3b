using System;
using System.Linq;
using Sobot.Client.Models.Responses;

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
            Status = Enum.IsDefined(typeof(SobotTemplateStatus), (int)r.Status) ? (SobotTemplateStatus)(int)r.Status : (SobotTemplateStatus?)null;
            Body = r.Template ?? string.Empty;
            VariableCount = r.BodyVariableCount;
            HeaderVariableCount = r.HeaderVariableCount;
            HasDynamicUrlButton = r.HasDynamicUrlButton;
            TemplateType = r.TemplateType;
            HeaderType = r.HeaderType;
            Header = r.Header;
            Footer = r.Footer;
            Buttons = r.Buttons.ToArray();
            SubType = r.SubType;
            Url = r.Url;
            UrlName = r.UrlName;
            PhoneNumbers = r.PhoneButtons.Select(p => p.Text + ": " + p.PhoneNumber).ToArray();
            Example = r.Example;
            ExampleWebsite = r.ExampleWebsite;
            RejectedReason = r.RejectedReason;
            MetaTemplateId = r.TemplateId;
            CreatedAt = r.CreatedAt;
            UpdatedAt = r.UpdatedAt;
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
        /// <summary>1 when the text header holds {{1}}: a send then needs -HeaderParameter.</summary>
        public int HeaderVariableCount { get; }
        /// <summary>True when the website button takes a value per send (-UrlButtonParameter).</summary>
        public bool HasDynamicUrlButton { get; }
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

    }
}
