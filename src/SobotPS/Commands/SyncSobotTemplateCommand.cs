using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sobot.Client;
using Sobot.Client.Templates;

namespace SobotPS.Commands
{
    /// <summary>
    /// Templates as code: creates the templates of a JSON file that the account lacks, reports the others
    /// with their status, and reports drift where a definition differs from the account's template
    /// (never recreating it). Running it twice creates nothing the second time.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "SobotTemplate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotTemplateSyncResult))]
    public sealed class SyncSobotTemplateCommand : TemplateCmdlet
    {
        private static readonly JsonSerializerOptions FileOptions = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };

        /// <summary>
        /// A JSON file: an array of definitions (or {"templates": [...]}) with New-SobotTemplate's parameter
        /// names as keys: Name, Category, Body, Language, BodyExample, Header, Footer, QuickReplyButton, …
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "LiteralPath")]
        public string Path { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            var connection = ResolveConnection();
            string file = GetUnresolvedProviderPathFromPSPath(Path);
            List<TemplateDefinition> definitions;
            try
            {
                definitions = Read(file);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException)
            {
                WriteError(SobotErrors.Record(new InvalidDataException($"Cannot read template definitions from '{file}': {ex.Message}", ex),
                    SobotErrorIds.InvalidInput, ErrorCategory.InvalidData, Path));
                return;
            }

            IReadOnlyList<Sobot.Client.Models.Responses.TemplateRecord> existing;
            try
            {
                existing = Call(token => connection.Client.Templates.GetAllAsync(refresh: true, token));
            }
            catch (SobotApiException ex)
            {
                WriteApiError(ex, Path);
                return;
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var definition in definitions)
            {
                string key = definition.EntityName + "|" + definition.LangCode;
                if (!seen.Add(key))
                {
                    WriteError(SobotErrors.Record(new ArgumentException($"'{definition.EntityName}' ({definition.LangCode}) is defined twice in '{file}'."),
                        SobotErrorIds.InvalidInput, ErrorCategory.InvalidData, definition));
                    continue;
                }
                var current = existing.FirstOrDefault(t => t.EntityName == definition.EntityName && string.Equals(t.LangCode, definition.LangCode, StringComparison.OrdinalIgnoreCase));
                if (current is null)
                {
                    var creation = CreateTemplate(connection, definition, definition);
                    bool created = creation == TemplateCreation.Created;
                    if (creation != TemplateCreation.Failed)
                        WriteObject(new SobotTemplateSyncResult(definition.EntityName, definition.LangCode,
                            created ? SobotTemplateSyncAction.Created : SobotTemplateSyncAction.WouldCreate,
                            created ? SobotTemplateStatus.Pending : (SobotTemplateStatus?)null, Array.Empty<string>()));
                    continue;
                }

                IReadOnlyList<string> differences;
                try
                {
                    differences = definition.DifferencesFrom(current, connection.Client.PhoneNumbers);
                }
                catch (SobotValidationException ex)
                {
                    WriteError(SobotErrors.FromValidation(ex, definition));
                    continue;
                }
                var status = Enum.IsDefined(typeof(SobotTemplateStatus), (int)current.Status) ? (SobotTemplateStatus)(int)current.Status : (SobotTemplateStatus?)null;
                if (differences.Count > 0)
                    WriteWarning($"Template '{definition.EntityName}' ({definition.LangCode}) differs from its definition in: {string.Join(", ", differences)}. It was not changed; Sobot templates cannot be edited in place.");
                WriteObject(new SobotTemplateSyncResult(definition.EntityName, definition.LangCode,
                    differences.Count > 0 ? SobotTemplateSyncAction.Drift : SobotTemplateSyncAction.UpToDate, status, differences.ToArray()));
            }
        }

        internal static List<TemplateDefinition> Read(string file)
        {
            string text = File.ReadAllText(file);
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("templates", out var list)) root = list;
            if (root.ValueKind != JsonValueKind.Array)
                throw new JsonException("The file must hold an array of template definitions, or an object with a \"templates\" array.");
            var result = new List<TemplateDefinition>();
            int index = 0;
            foreach (var item in root.EnumerateArray())
            {
                index++;
                var definition = item.Deserialize<TemplateDefinition>(FileOptions)
                    ?? throw new JsonException($"Definition {index} is null.");
                if (string.IsNullOrWhiteSpace(definition.Name)) throw new JsonException($"Definition {index} has no Name.");
                result.Add(definition);
            }
            return result;
        }
    }
}
