namespace Sobot.Client.Models.Responses
{
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
