using System.Collections.Generic;
using System.Management.Automation;
using Sobot.Client;
using Sobot.Client.Models.Responses;
using SobotPS.Completers;

namespace SobotPS.Commands
{
    /// <summary>Lists the account's templates, every page, streaming each as it arrives.</summary>
    [Cmdlet(VerbsCommon.Get, "SobotTemplate")]
    [OutputType(typeof(SobotTemplate))]
    public sealed class GetSobotTemplateCommand : SobotCmdlet
    {
        /// <summary>The template name; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("TemplateName", "entity_name")]
        [ArgumentCompleter(typeof(TemplateNameCompleter))]
        [SupportsWildcards]
        public string? Name { get; set; }

        [Parameter]
        public SobotTemplateStatus? Status { get; set; }

        /// <summary>Only templates in this language (lang_code).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(TemplateLanguageCompleter))]
        public string? Language { get; set; }

        protected override void ProcessRecord()
        {
            var connection = ResolveConnection();
            var pattern = string.IsNullOrEmpty(Name) ? null : WildcardPattern.Get(Name, WildcardOptions.IgnoreCase);
            bool complete = Status is null;
            var all = new List<TemplateRecord>();
            int found = 0;
            try
            {
                foreach (var record in Stream(token => connection.Client.EnumerateTemplatesAsync(Status is null ? (int?)null : (int)Status.Value, token)))
                {
                    if (complete) all.Add(record);
                    if (pattern != null && !pattern.IsMatch(record.EntityName ?? string.Empty)) continue;
                    if (!string.IsNullOrEmpty(Language) && !string.Equals(record.LangCode, Language, System.StringComparison.OrdinalIgnoreCase)) continue;
                    found++;
                    WriteObject(new SobotTemplate(record));
                }
            }
            catch (SobotApiException ex)
            {
                WriteApiError(ex, Name);
                return;
            }
            // A full listing refreshes the cache that template sends and Tab completion read.
            if (complete) connection.Client.Templates.Replace(all);
            if (found == 0 && Name != null && !WildcardPattern.ContainsWildcardCharacters(Name))
                WriteError(SobotErrors.Record(new ItemNotFoundException($"The account has no template named '{Name}'{(Status is null ? "" : " with status " + Status)}."),
                    SobotErrorIds.TemplateNotFound, ErrorCategory.ObjectNotFound, Name));
        }
    }
}
