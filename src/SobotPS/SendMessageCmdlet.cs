using System;
using System.Management.Automation;
using Sobot.Client;
using Sobot.Client.Models.Requests;

namespace SobotPS
{
    /// <summary>
    /// The shared shape of every Send-Sobot* command: who to send to (bound by property name from CSV
    /// rows and objects), number normalization, validation before anything is sent, -WhatIf, one
    /// <see cref="SobotMessageResult"/> per accepted message and one error per failed item.
    /// </summary>
    public abstract class SendMessageCmdlet : SobotCmdlet
    {
        /// <summary>The customer's WhatsApp number; country code first, or national form with -DefaultRegion.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("customer_number", "Mobile", "Phone", "PhoneNumber", "Number")]
        [AllowEmptyString]
        public string CustomerNumber { get; set; } = string.Empty;

        /// <summary>The name Sobot stores for the contact; the number when not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("customer_name", "Name")]
        [AllowNull, AllowEmptyString]
        public string? CustomerName { get; set; }

        /// <summary>The whole pipeline object, kept as the error target and on the result.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>Builds the request for this item; throws validation or template exceptions.</summary>
        protected abstract SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName);

        protected override void ProcessRecord()
        {
            var connection = ResolveConnection();
            object target = (object?)InputObject?.BaseObject is { } input && !(input is string) ? InputObject! : CustomerNumber;
            SendMessageRequest request;
            try
            {
                string number = connection.Client.PhoneNumbers.Normalize(CustomerNumber);
                string name = string.IsNullOrWhiteSpace(CustomerName) ? number : CustomerName!.Trim();
                request = BuildRequest(connection, number, name);
                request.Validate();
            }
            catch (SobotValidationException ex)
            {
                WriteError(SobotErrors.FromValidation(ex, target));
                return;
            }
            catch (SobotTemplateException ex)
            {
                WriteError(SobotErrors.FromTemplate(ex, target));
                return;
            }
            catch (SobotApiException ex)
            {
                WriteApiError(ex, target);
                return;
            }

            string what = request is TemplateMessageRequest t ? $"Send template '{t.TemplateName}' ({t.TemplateLang})" : $"Send {request.MessageType} message";
            if (!ShouldProcess($"{request.CustomerName} ({request.CustomerNumber})", what)) return;

            try
            {
                var response = Call(token => connection.Client.SendMessageAsync(request, token));
                WriteObject(new SobotMessageResult(
                    response.Data!.Id!,
                    response.Data.Status ?? "submitted",
                    request.CustomerNumber,
                    request.CustomerName,
                    request.MessageType,
                    (request as TemplateMessageRequest)?.TemplateName,
                    DateTimeOffset.Now,
                    InputObject?.BaseObject is string ? null : InputObject));
            }
            catch (SobotApiException ex)
            {
                WriteApiError(ex, target);
            }
        }
    }
}
