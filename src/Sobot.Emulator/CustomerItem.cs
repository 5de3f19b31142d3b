using System.Text.Json.Nodes;

namespace Sobot.Emulator;

public sealed class CustomerItem
{
    public long Id { get; set; }
    public string Mobile { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string? Gender { get; set; }
    public string? DateOfBirth { get; set; }
    public string? FacebookProfile { get; set; }
    public string? LinkedinProfile { get; set; }
    public string? TwitterProfile { get; set; }
    public JsonObject? ExtraFields { get; set; }
    public List<string> Labels { get; set; } = new();
}
