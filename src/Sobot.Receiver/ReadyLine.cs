using System.Text.Json;

namespace Sobot.Receiver;

/// <summary>
/// The handshake: with <c>--handshake</c> the receiver prints exactly one line on stdout once both listeners are
/// bound and the store is open, for a launcher (Start-SobotReceiver) to read:
/// <c>{"event":"ready","version":1,"pid":…,"webhookUrl":…,"queryUrl":…,"token":…,"queryKey":…,"store":…,"ingressUrls":[…],"queryUrls":[…]}</c>.
/// A start that fails prints <c>{"event":"error","version":1,"message":…,"reason":…,"exitCode":…}</c> (with <c>path</c> and <c>fix</c> for a refused file) instead and
/// exits with that code (see <see cref="StartFailure"/>).
/// </summary>
public static class ReadyLine
{
    public const int Version = 1;

    public static string Ready(ReceiverHost host, ReceiverSecrets secrets) => JsonSerializer.Serialize(new
    {
        @event = "ready",
        version = Version,
        pid = Environment.ProcessId,
        webhookUrl = host.WebhookUrl(secrets.Token),
        queryUrl = host.QueryUrl,
        token = secrets.Token,
        queryKey = secrets.QueryKey,
        store = host.StorePath,
        ingressUrls = host.IngressUrls,
        queryUrls = host.QueryUrls,
    });

    /// <summary>The failure; a refused file or folder (reason <c>unsafePath</c>) also gives its <c>path</c> and the <c>fix</c>.</summary>
    public static string Error(StartFailure failure) => failure.Path is null
        ? JsonSerializer.Serialize(new { @event = "error", version = Version, message = failure.Message, reason = failure.Reason, exitCode = failure.ExitCode })
        : JsonSerializer.Serialize(new { @event = "error", version = Version, message = failure.Message, reason = failure.Reason, exitCode = failure.ExitCode, path = failure.Path, fix = failure.Fix });
}
