using System;
using System.Collections.Generic;
using System.Management.Automation;
using Sobot.Client.Webhooks;

namespace SobotPS.Commands
{
    /// <summary>
    /// Turns a webhook body into typed objects: SobotInboundMessage per customer message, SobotMessageStatus
    /// per status change; shapes it does not know come through as SobotUnknownWebhookEvent with their JSON.
    /// </summary>
    [Cmdlet(VerbsData.ConvertFrom, "SobotWebhook")]
    [OutputType(typeof(SobotInboundMessage), typeof(SobotMessageStatus), typeof(SobotUnknownWebhookEvent))]
    public sealed class ConvertFromSobotWebhookCommand : PromptSafeCmdlet, ISpreadsheetOutput
    {
        /// <summary>For a spreadsheet: each text property that would start a formula (= + - @, tab, CR) gets a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter SafeForSpreadsheet { get; set; }

        /// <summary>The raw JSON body as Sobot posted it. Lines piped from Get-Content are joined.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Body", "Content")]
        [AllowEmptyString]
        public string Json { get; set; } = string.Empty;

        private readonly List<string> _pending = new List<string>();

        protected override void ProcessRecord()
        {
            // A whole body converts at once; a line of a multi-line file waits for the rest.
            if (_pending.Count == 0 && TryConvert(Json, writeError: false)) return;
            _pending.Add(Json);
        }

        protected override void EndProcessing()
        {
            if (_pending.Count > 0) TryConvert(string.Join("\n", _pending), writeError: true);
        }

        private bool TryConvert(string json, bool writeError)
        {
            IReadOnlyList<SobotWebhookEvent> events;
            try
            {
                events = SobotWebhookParser.Parse(json);
            }
            catch (FormatException ex)
            {
                if (writeError)
                    WriteError(SobotErrors.Record(ex, SobotErrorIds.InvalidInput, ErrorCategory.InvalidData, json.Length > 200 ? json.Substring(0, 200) + "..." : json));
                return false;
            }
            foreach (var e in events) WriteObject(e);
            return true;
        }
    }
}
