using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sobot.Client;

namespace Sobot.Receiver;

/// <summary>
/// What a receiver keeps beside its SQLite store, <c>&lt;store&gt;.receiver.json</c> (owner-only), so that
/// Get-SobotReceiver -Path can tell what runs there: its process (with the process's start time, so a reused pid is
/// not taken for it), its URLs, and where its token and query key live. Never a secret: the webhook URL is masked.
/// The file stays after the receiver ends; whether it still runs is the reader's check.
/// </summary>
public static class ReceiverState
{
    public const int Version = 1;

    public static string PathOf(string storePath) => storePath + ".receiver.json";

    public static void Write(ReceiverHost host, ReceiverOptions options, ReceiverSecrets secrets)
    {
        using var self = Process.GetCurrentProcess();
        var state = new JsonObject
        {
            ["version"] = Version,
            ["pid"] = Environment.ProcessId,
            ["processStartedAt"] = self.StartTime.ToUniversalTime().ToString("O"),
            ["startedAt"] = DateTime.UtcNow.ToString("O"),
            ["store"] = host.StorePath,
            ["queryUrl"] = host.QueryUrl,
            ["webhookUrlMasked"] = host.WebhookUrl(SobotCredential.Mask(secrets.Token)),
            ["ingressUrls"] = new JsonArray([.. host.IngressUrls.Select(u => JsonValue.Create(u))]),
            ["queryUrls"] = new JsonArray([.. host.QueryUrls.Select(u => JsonValue.Create(u))]),
            ["tokenFile"] = options.Token == null && options.TokenFile != null ? Path.GetFullPath(options.TokenFile) : null,
            ["queryKeyFile"] = options.QueryKey == null && options.QueryKeyFile != null ? Path.GetFullPath(options.QueryKeyFile) : null,
            // A receiver that ends with a PowerShell session says so; a service or a -Detach receiver has none.
            ["exitWithPid"] = options.ExitWithPid,
        };
        // Written whole (0600) and renamed into place: never through a symbolic link put there.
        OwnerOnlyFiles.Write(PathOf(host.StorePath), JsonSerializer.SerializeToUtf8Bytes(state));
    }

    /// <summary>The pid the state file beside <paramref name="storePath"/> names, when it can be read.</summary>
    public static int? ReadProcessId(string storePath)
    {
        try
        {
            return JsonNode.Parse(OwnerOnlyFiles.ReadOwned(PathOf(storePath)))?["pid"]?.GetValue<int>();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
