using System.Text.Json.Nodes;

namespace Sobot.TestSupport;

/// <summary>One file of <c>tests/contract-examples</c>: a documented request or webhook body.</summary>
public sealed record ContractExample(string Name, string About, string? Method, string? Path, string? Source, JsonNode Body)
{
    public bool IsWebhook => Name.StartsWith("webhook-", StringComparison.Ordinal);

    public override string ToString() => Name;
}

/// <summary>Reads the contract examples the test projects copy next to their assemblies.</summary>
public static class ContractExamples
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "contract-examples");

    /// <summary>Every example, in file-name order (the order they are meant to run in).</summary>
    public static IReadOnlyList<ContractExample> All() =>
        System.IO.Directory.GetFiles(Directory, "*.json").OrderBy(f => f, StringComparer.Ordinal).Select(Load).ToList();

    public static ContractExample Get(string name) => Load(Path.Combine(Directory, name + ".json"));

    private static ContractExample Load(string file)
    {
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        return new ContractExample(Path.GetFileNameWithoutExtension(file), json["about"]!.GetValue<string>(),
            json["method"]?.GetValue<string>(), json["path"]?.GetValue<string>(), json["source"]?.GetValue<string>(), json["body"]!);
    }
}
