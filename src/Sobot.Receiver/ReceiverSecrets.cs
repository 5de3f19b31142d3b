using Sobot.Client;
using Sobot.Receiver.Security;

namespace Sobot.Receiver;

/// <summary>The webhook token and the query key, from an option, a file, the environment, or newly generated.</summary>
public sealed record ReceiverSecrets(string Token, string QueryKey)
{
    /// <summary>
    /// Order: option, file, environment. A missing secret is generated only when it can reach someone: written into
    /// its file (created with owner-only access), or printed on the handshake line.
    /// </summary>
    public static ReceiverSecrets Resolve(ReceiverOptions options, Func<string, string?> environment)
    {
        string token = Resolve("token", options.Token, options.TokenFile, environment(ReceiverOptions.TokenVariable), options.Handshake, "--token");
        string key = Resolve("query key", options.QueryKey, options.QueryKeyFile, environment(ReceiverOptions.QueryKeyVariable), options.Handshake, "--query-key");
        if (SecretRules.ProblemWithToken(token) is string tokenProblem) throw new ArgumentException($"The token {tokenProblem}.");
        if (SecretRules.ProblemWithQueryKey(key) is string keyProblem) throw new ArgumentException($"The query key {keyProblem}.");
        return new ReceiverSecrets(token, key);
    }

    private static string Resolve(string what, string? given, string? file, string? fromEnvironment, bool handshake, string option)
    {
        if (given != null) return given;
        if (file != null)
        {
            // Created 0600 when missing (never through a symbolic link); an existing one is used only when no other user
            // could read it or wrote it, as ssh treats a private key (OwnerOnlyFiles.ReadSecret).
            bool creating = !File.Exists(file);
            try
            {
                string created = SecretGenerator.NewSecret();
                creating = OwnerOnlyFiles.TryCreateSecret(file, created);
                return creating ? created : OwnerOnlyFiles.ReadSecret(file).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw StartFailure.FileProblem(what + " file", file, creating, ex);
            }
        }
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment.Trim();
        if (handshake) return SecretGenerator.NewSecret();
        throw new ArgumentException($"No {what}: give {option}, {option}-file, the environment variable, or --handshake to generate one and print it.");
    }
}
