using System.Text.Json;

namespace Sobot.Client.Models.Responses
{
    /// <summary>One item of <c>GET /api/template/</c>, field for field.</summary>
    public sealed class TemplateRecord
    {
        public long Id { get; set; }
        public string? EntityName { get; set; }
        /// <summary>The body text.</summary>
        public string? Template { get; set; }
        public string? Category { get; set; }
        /// <summary>Meta's id.</summary>
        public string? TemplateId { get; set; }
        public string? TemplateType { get; set; }
        public string? LangCode { get; set; }
        /// <summary>0 pending, 1 approved, 2 rejected.</summary>
        public int Status { get; set; }
        public string? Header { get; set; }
        public string? HeaderType { get; set; }
        public string? Footer { get; set; }
        public string? SubType { get; set; }
        /// <summary>Shape undocumented beyond "array of strings" on create; kept raw.</summary>
        public JsonElement? Buttons { get; set; }
        public JsonElement? PhoneNumbers { get; set; }
        public string? Url { get; set; }
        public string? UrlName { get; set; }
        public string? Example { get; set; }
        public string? ExampleWebsite { get; set; }
        public string? RejectedReason { get; set; }
        public string? CreatedAt { get; set; }
        public string? UpdatedAt { get; set; }
        public long? AddedBy { get; set; }
    }

    /// <summary>One item of <c>GET /api/customer</c>.</summary>
    public sealed class CustomerRecord
    {
        public long Id { get; set; }
        public string? Name { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Mobile { get; set; }
    }
}
