using System.Management.Automation;
using Sobot.Client;
using Sobot.Client.Models.Requests;
using Sobot.Client.Templates;

namespace SobotPS
{
    public enum TemplateCreation
    {
        Created,
        /// <summary>-WhatIf, or declined at the -Confirm prompt.</summary>
        NotConfirmed,
        /// <summary>Refused by validation or by Sobot; an error was written.</summary>
        Failed,
    }

    /// <summary>What New-SobotTemplate and Sync-SobotTemplate share: creating one template from a definition.</summary>
    public abstract class TemplateCmdlet : SobotCmdlet
    {
        /// <summary>
        /// Validates <paramref name="definition"/>, asks ShouldProcess and creates it.
        /// </summary>
        protected TemplateCreation CreateTemplate(SobotConnection connection, TemplateDefinition definition, object target)
        {
            CreateTemplateRequest request;
            try
            {
                request = definition.ToRequest(connection.Client.PhoneNumbers);
            }
            catch (SobotValidationException ex)
            {
                WriteError(SobotErrors.FromValidation(ex, target));
                return TemplateCreation.Failed;
            }
            if (!ShouldProcess($"{request.EntityName} ({request.LangCode}, {request.Category}, {request.TemplateType})", "Create template")) return TemplateCreation.NotConfirmed;
            try
            {
                Call(token => connection.Client.CreateTemplateAsync(request, token));
                return TemplateCreation.Created;
            }
            catch (SobotApiException ex)
            {
                WriteApiError(ex, target);
                return TemplateCreation.Failed;
            }
        }
    }
}
