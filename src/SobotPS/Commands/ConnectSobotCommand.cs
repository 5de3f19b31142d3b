using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using Sobot.Client;
using Sobot.Client.PreSend;
using Sobot.Client.Receiver;
using Sobot.Client.Validation;
using SobotPS.Completers;

namespace SobotPS.Commands
{
    /// <summary>Connects to a Sobot account (or the emulator) and makes it this runspace's default.</summary>
    [Cmdlet(VerbsCommunications.Connect, "Sobot", DefaultParameterSetName = EnvironmentSet)]
    [OutputType(typeof(SobotConnection))]
    public sealed class ConnectSobotCommand : PromptSafeCmdlet, IDisposable
    {
        private readonly System.Threading.CancellationTokenSource _cancel = new System.Threading.CancellationTokenSource();
        private const string KeysSet = "Keys";
        private const string CredentialSet = "Credential";
        private const string EnvironmentSet = "Environment";
        public const string AccessKeyVariable = "SOBOT_ACCESS_KEY";
        public const string SecretKeyVariable = "SOBOT_SECRET_KEY";
        public const string BaseUriVariable = "SOBOT_BASE_URI";
        public const string DefaultRegionVariable = "SOBOT_DEFAULT_REGION";
        public const string ReceiverUriVariable = "SOBOT_RECEIVER_URI";
        public const string ReceiverKeyVariable = "SOBOT_RECEIVER_KEY";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = KeysSet)]
        [ValidateNotNullOrEmpty]
        public string AccessKey { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = KeysSet)]
        [ValidateNotNull]
        public SecureString? SecretKey { get; set; }

        /// <summary>User name = access key, password = secret key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(RegionCompleter))]
        [ValidateNotNullOrEmpty]
        public string? DefaultRegion { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>
        /// A hard cap on messages a Send cmdlet keeps in flight at once. By default none: the concurrency follows what
        /// the pacing allows and the latency Sobot answers with (the README's "Bulk sending" says how).
        /// </summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; }

        /// <summary>A hard cap on messages per second for this account; by default the pacing finds the limit from 429 answers.</summary>
        [Parameter]
        [ValidateRange(0.01, 100000)]
        public double MaxMessagesPerSecond { get; set; }

        /// <summary>Retries of a request the server certainly did not process (429, 503, not sent); default 5.</summary>
        [Parameter]
        [ValidateRange(0, 100)]
        public int MaximumRetryCount { get; set; } = 5;

        /// <summary>An HTTP proxy for every call; by default the system proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) apply.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        /// <summary>Credentials for -Proxy.</summary>
        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Accepts any server certificate (self-signed test hosts). Unsafe: a warning says so each time it is used.</summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>A webhook receiver's query URL: Get-SobotEvent, Wait-SobotReply and the other listening cmdlets read from it.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? ReceiverUri { get; set; }

        /// <summary>The receiver's query key (x-receiver-key).</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? ReceiverKey { get; set; }

        /// <summary>A receiver Start-SobotReceiver started: its query URL and key.</summary>
        [Parameter]
        [ValidateNotNull]
        public SobotReceiverProcess? Receiver { get; set; }

        /// <summary>
        /// Sends on this connection fail closed when the receiver cannot be read and no opt-out list from it was ever
        /// kept on this machine (Send-Sobot* -RequireOptOutList:$false overrides it for one run).
        /// </summary>
        [Parameter]
        public SwitchParameter RequireOptOutList { get; set; }

        protected override void EndProcessing()
        {
            if (ProxyCredential != null && Proxy is null)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-ProxyCredential goes with -Proxy."), SobotErrorIds.InvalidInput, ErrorCategory.InvalidArgument, null));
            if (SkipCertificateCheck)
                WriteWarning("-SkipCertificateCheck: the server's certificate is not checked, so anyone between here and the server can read the keys and messages. Use it only with a test host.");
            var credential = ReadCredential();
            foreach (var notice in credential.Notices) WriteWarning(notice);
            var baseUri = ResolveBaseUri();
            var options = new SobotClientOptions(credential)
            {
                BaseUri = baseUri,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                MaximumRetryCount = MaximumRetryCount,
                Proxy = Proxy,
                ProxyCredential = ProxyCredential?.GetNetworkCredential(),
                SkipCertificateCheck = SkipCertificateCheck,
                MaxMessagesPerSecond = MaxMessagesPerSecond > 0 ? MaxMessagesPerSecond : (double?)null,
                UserAgent = "SobotPS/" + typeof(ConnectSobotCommand).Assembly.GetName().Version!.ToString(3),
            };
            string? region = DefaultRegion;
            string regionSource = "-DefaultRegion";
            if (region is null && !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(DefaultRegionVariable)))
            {
                region = Environment.GetEnvironmentVariable(DefaultRegionVariable)!.Trim();
                regionSource = "The environment variable " + DefaultRegionVariable;
            }
            if (region != null)
            {
                if (!PhoneNumberNormalizer.IsSupportedRegion(region))
                    ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException($"{regionSource} '{region}' is not a known region; use a two-letter ISO 3166 code such as IN, US or GB."),
                        SobotErrorIds.InvalidRegion, ErrorCategory.InvalidArgument, region));
                options.DefaultRegion = region;
            }

            var client = new SobotClient(options);
            try
            {
                WriteVerbose($"Checking the keys against {ReceiverUrls.Mask(client.BaseUri)}");
                // On a pool thread, so Ctrl+C (StopProcessing) ends the wait at once through the token.
                System.Threading.Tasks.Task.Run(() => client.VerifyCredentialsAsync(_cancel.Token)).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                client.Dispose();
                throw new PipelineStoppedException();
            }
            catch (SobotApiException ex)
            {
                client.Dispose();
                if (ex.Kind == SobotErrorKind.Unauthorized || ex.Kind == SobotErrorKind.Forbidden)
                    ThrowTerminatingError(new ErrorRecord(
                        new UnauthorizedAccessException($"Sobot at {ReceiverUrls.Mask(baseUri)} rejected the access key and secret key (HTTP {ex.StatusCode}). Check the pair, or generate a new one in the Sobot portal; generating keys invalidates the old pair.", ex),
                        SobotErrorIds.Unauthorized, ErrorCategory.AuthenticationError, baseUri));
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"Could not connect to Sobot at {ReceiverUrls.Mask(baseUri)}: {ex.Message}", ex),
                    SobotErrorIds.ConnectFailed, ErrorCategory.ConnectionError, baseUri));
            }

            var receiver = ConnectReceiver();
            var cache = receiver is null ? null : OptOutCache.DefaultFolder() is string folder ? new OptOutCache(folder) : null;
            var connection = new SobotConnection(client, DateTimeOffset.Now, ThrottleLimit > 0 ? ThrottleLimit : (int?)null, receiver, cache, RequireOptOutList);
            if (receiver != null) CheckReceiver(connection, receiver);
            var previous = SobotSession.Current;
            SobotSession.Current = connection;
            // The replaced default is closed unless the user kept it (-PassThru) to use with -Connection.
            if (previous != null && previous.IsOpen && !previous.KeptByUser) previous.Close();
            connection.KeptByUser = PassThru.IsPresent;
            if (PassThru) WriteObject(connection);
        }

        private SobotCredential ReadCredential()
        {
            try
            {
                switch (ParameterSetName)
                {
                    case KeysSet:
                        return new SobotCredential(AccessKey, SecretKey!);
                    case CredentialSet:
                        if (string.IsNullOrWhiteSpace(Credential!.UserName) || Credential.Password.Length == 0)
                            ThrowMissingKeys("The credential needs the access key as user name and the secret key as password.");
                        return new SobotCredential(Credential.UserName.TrimStart('\\'), Credential.Password);
                    default:
                        string? access = Environment.GetEnvironmentVariable(AccessKeyVariable);
                        string? secret = Environment.GetEnvironmentVariable(SecretKeyVariable);
                        bool hasAccess = !string.IsNullOrWhiteSpace(access), hasSecret = !string.IsNullOrWhiteSpace(secret);
                        if (!hasAccess && !hasSecret)
                            ThrowMissingKeys($"No keys given. Pass -AccessKey and -SecretKey, or -Credential, or set the environment variables {AccessKeyVariable} and {SecretKeyVariable}.");
                        if (!hasAccess)
                            ThrowMissingKeys($"The environment variable {AccessKeyVariable} is not set (or empty), though {SecretKeyVariable} is: set both, or pass -AccessKey and -SecretKey.");
                        if (!hasSecret)
                            ThrowMissingKeys($"The environment variable {SecretKeyVariable} is not set (or empty), though {AccessKeyVariable} is: set both, or pass -AccessKey and -SecretKey.");
                        using (var secure = SecureText.Secure(secret!))
                            return new SobotCredential(access!, secure);
                }
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(ex.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0]),
                    SobotErrorIds.InvalidKey, ErrorCategory.InvalidArgument, null));
                throw;
            }
        }

        protected override void StopProcessing() => _cancel.Cancel();

        public void Dispose() => _cancel.Dispose();

        /// <summary>The receiver from -Receiver, -ReceiverUri/-ReceiverKey or the environment; null when none is given.</summary>
        private bool _receiverFromEnvironment;

        private SobotReceiverClient? ConnectReceiver()
        {
            Uri? uri = Receiver?.QueryUrl ?? ReceiverUri;
            SecureString? key = Receiver?.QueryKey ?? ReceiverKey;
            string uriSource = Receiver != null ? "-Receiver's QueryUrl" : "-ReceiverUri", keySource = Receiver != null ? "-Receiver's QueryKey" : "-ReceiverKey";
            if (uri is null && key is null)
            {
                string? envUri = Environment.GetEnvironmentVariable(ReceiverUriVariable);
                string? envKey = Environment.GetEnvironmentVariable(ReceiverKeyVariable);
                if (string.IsNullOrWhiteSpace(envUri) && string.IsNullOrWhiteSpace(envKey)) return null;
                _receiverFromEnvironment = true;
                uriSource = "The environment variable " + ReceiverUriVariable;
                keySource = "The environment variable " + ReceiverKeyVariable;
                if (string.IsNullOrWhiteSpace(envUri) || !Uri.TryCreate(envUri!.Trim(), UriKind.Absolute, out uri))
                    ThrowReceiver($"The environment variable {ReceiverUriVariable} is not set to an absolute URI, though {ReceiverKeyVariable} is set.", SobotErrorIds.ReceiverFailed);
                if (string.IsNullOrWhiteSpace(envKey))
                    ThrowReceiver($"The environment variable {ReceiverKeyVariable} is not set, though {ReceiverUriVariable} is.", SobotErrorIds.ReceiverFailed);
                key = SecureText.Secure(envKey!);   // untrimmed: the options trim it with a warning, as the Sobot keys are
            }
            if (uri is null || key is null)
                ThrowReceiver(uri is null ? "-ReceiverKey goes with -ReceiverUri." : "-ReceiverUri needs -ReceiverKey (the receiver's query key).", SobotErrorIds.ReceiverFailed);
            // The webhook URL first: every later message shows the URL, and that one ends with the token.
            if (ReceiverUrls.IsWebhookUrl(uri))
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                        $"{uriSource}: {ReceiverUrls.WebhookGivenAsQueryUrl(uri!)} {(_receiverFromEnvironment ? ReceiverUriVariable : "-ReceiverUri")} takes that query URL: " +
                        "QueryUrl of what Start-SobotReceiver or Get-SobotReceiver returns (or pass that object as -Receiver)."),
                    SobotErrorIds.ReceiverUriIsWebhookUrl, ErrorCategory.InvalidArgument, ReceiverUrls.Mask(uri)));
            if (!uri!.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                ThrowReceiver($"The receiver URI '{ReceiverUrls.Mask(uri)}' must be an absolute http or https URI.", SobotErrorIds.ReceiverFailed);
            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"The receiver URI '{ReceiverUrls.Mask(uri)}' uses plain http to a host that is not this machine; the query key would cross the network unencrypted. Use https."),
                    SobotErrorIds.InsecureBaseUri, ErrorCategory.SecurityError, ReceiverUrls.Mask(uri)));
            SobotReceiverOptions options;
            try
            {
                options = new SobotReceiverOptions(uri, key!) { SkipCertificateCheck = SkipCertificateCheck, Timeout = TimeSpan.FromSeconds(Math.Min(TimeoutSec, 30)) };
            }
            catch (ArgumentException ex)
            {
                // Before anything is sent. The message names where the key came from, never the key.
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"{keySource}: {ex.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0]}"),
                    SobotErrorIds.InvalidKey, ErrorCategory.InvalidArgument, null));
                throw;
            }
            foreach (var notice in options.Notices) WriteWarning($"{keySource}: {notice}");
            return new SobotReceiverClient(options);
        }

        /// <summary>
        /// Checks the receiver's key by reading its opt-out list, which is then kept on disk for sends while it is down.
        /// A receiver that cannot be used is a warning, never a failure (alerts must still go out); only a refused
        /// key stops, since that is a mistake to fix rather than an outage to ride out.
        /// </summary>
        private void CheckReceiver(SobotConnection connection, SobotReceiverClient receiver)
        {
            var uri = ReceiverUrls.Mask(receiver.QueryUri);
            WriteVerbose($"Checking the receiver's query key against {uri}{(_receiverFromEnvironment ? " (from the environment)" : string.Empty)}");
            var step = new PreSendStep(connection.Client, receiver, new PreSendOptions { Cache = connection.OptOutCache });
            try
            {
                System.Threading.Tasks.Task.Run(() => step.StartAsync(_cancel.Token)).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                connection.Close();
                throw new PipelineStoppedException();
            }
            connection.NoteReceiver(step.ReceiverProblem);
            while (step.TryTakeNotice(out var notice))
                if (notice.Kind == PreSendNoticeKind.OptOutListNotKept) WriteWarning(notice.Message);
            if (step.ReceiverProblem is not { } problem) return;
            if (problem.KeyRejected)
            {
                connection.Close();
                ThrowReceiver($"Could not use the webhook receiver at {uri}: {problem.Message}", SobotErrorIds.ReceiverUnauthorized);
            }
            string sends = step.OptOuts is { } kept
                ? $"while it is down, sends use the opt-out list read from it {Sobot.Client.Receiver.Durations.Describe(DateTimeOffset.UtcNow - kept.ReadAt)} ago ({kept.ReadAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC, {kept.Count} number(s))"
                : connection.RequireOptOutList
                    ? "no opt-out list from it was ever kept on this machine, so sends send nothing until it answers (-RequireOptOutList)"
                    : "no opt-out list from it was ever kept on this machine, so while it is down sends go out without the opt-out check (-RequireOptOutList makes them send nothing instead)";
            WriteWarning($"{problem.Message.TrimEnd('.')}. Connected to Sobot without it: {sends}; the 24-hour window is not checked (Sobot enforces it), and the listening cmdlets fail until it answers. Test-SobotConnection -Detailed shows both.");
        }

        private void ThrowReceiver(string message, string errorId) =>
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), errorId,
                errorId == SobotErrorIds.ReceiverUnauthorized ? ErrorCategory.AuthenticationError : ErrorCategory.ConnectionError,
                ReceiverUri is null ? null : ReceiverUrls.Mask(ReceiverUri)));

        private Uri ResolveBaseUri()
        {
            Uri? uri = BaseUri;
            if (uri is null)
            {
                string? fromEnvironment = Environment.GetEnvironmentVariable(BaseUriVariable);
                if (!string.IsNullOrWhiteSpace(fromEnvironment) && !Uri.TryCreate(fromEnvironment, UriKind.Absolute, out uri))
                    ThrowInsecure($"The environment variable {BaseUriVariable} ('{ReceiverUrls.Mask(fromEnvironment)}') is not an absolute URI.", ReceiverUrls.Mask(fromEnvironment));
            }
            uri ??= SobotClientOptions.DefaultBaseUri;
            if (!uri.IsAbsoluteUri)
                ThrowInsecure($"-BaseUri '{ReceiverUrls.Mask(uri)}' is not an absolute URI.", ReceiverUrls.Mask(uri));
            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
                ThrowInsecure($"-BaseUri '{ReceiverUrls.Mask(uri)}' uses plain http to a host that is not this machine; the keys would cross the network unencrypted. Use https (http is allowed only for loopback addresses such as the local emulator).", ReceiverUrls.Mask(uri));
            if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                ThrowInsecure($"-BaseUri '{ReceiverUrls.Mask(uri)}' must use https.", ReceiverUrls.Mask(uri));
            return uri;
        }

        internal static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

        private void ThrowInsecure(string message, object? target) =>
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), SobotErrorIds.InsecureBaseUri, ErrorCategory.SecurityError, target));

        private void ThrowMissingKeys(string message) =>
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), SobotErrorIds.MissingKeys, ErrorCategory.AuthenticationError, null));
    }
}
