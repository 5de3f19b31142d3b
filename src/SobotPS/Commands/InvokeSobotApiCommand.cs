using System.Management.Automation;
using System.Net.Http;
using System.Text.Json;
using Sobot.Client;

namespace SobotPS.Commands
{
    /// <summary>
    /// Sends any authenticated request to the Sobot API through the module's client (keys, redaction,
    /// error handling) and returns the parsed response: for fields the typed cmdlets do not model yet.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "SobotApi", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeSobotApiCommand : SobotCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("GET", "POST", "PUT", "DELETE", IgnoreCase = true)]
        public string Method { get; set; } = "GET";

        /// <summary>Relative to the base URI, e.g. /api/template/?status=1.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Path { get; set; } = string.Empty;

        /// <summary>A hashtable or object (serialized to JSON), or a JSON string sent as is.</summary>
        [Parameter(Position = 2, ValueFromPipeline = true)]
        [AllowNull]
        public object? Body { get; set; }

        protected override void ProcessRecord()
        {
            var connection = ResolveConnection();
            var method = new HttpMethod(Method.ToUpperInvariant());
            string? json = Body is null ? null : PowerShellJson.Serialize(Body);
            if (method != HttpMethod.Get && !ShouldProcess(connection.BaseUri + Path.TrimStart('/'), method.Method)) return;
            try
            {
                var response = Call(token => connection.Client.SendRawAsync(method, Path, json, token));
                if (string.IsNullOrWhiteSpace(response.Body)) return;
                try
                {
                    using var document = JsonDocument.Parse(response.Body);
                    WriteObject(PowerShellJson.ToPowerShell(document.RootElement), enumerateCollection: false);
                }
                catch (JsonException)
                {
                    WriteObject(response.Body);
                }
            }
            catch (SobotValidationException ex)
            {
                WriteError(SobotErrors.FromValidation(ex, Path));
            }
            catch (SobotApiException ex)
            {
                WriteApiError(ex, Path);
            }
        }
    }
}
