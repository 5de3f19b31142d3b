using System.Management.Automation;
using Sobot.Client.Models.Requests;

namespace SobotPS.Commands
{
    /// <summary>Sends a map pin: latitude -90..90, longitude -180..180, with an optional name and address.</summary>
    [Cmdlet(VerbsCommunications.Send, "SobotLocationMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SobotMessageResult))]
    public sealed class SendSobotLocationMessageCommand : SendMessageCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Lat")]
        public double Latitude { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Lon", "Lng", "Long")]
        public double Longitude { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("location_name", "Place")]
        [AllowNull, AllowEmptyString]
        public string? LocationName { get; set; }

        /// <summary>WhatsApp shows the address only when a location name is given too.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? Address { get; set; }

        protected override SendMessageRequest BuildRequest(SobotConnection connection, string customerNumber, string customerName)
        {
            var request = new LocationMessageRequest(customerNumber, customerName, Latitude, Longitude, LocationName, Address);
            if (request.AddressHidden)
                WriteWarning("WhatsApp shows the address only with a location name; add -LocationName to show it.");
            return request;
        }
    }
}
