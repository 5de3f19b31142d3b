using System.Globalization;
using System.Text.Json.Serialization;
using Sobot.Client.Validation;

namespace Sobot.Client.Models.Requests
{
    /// <summary><c>type: location</c>; coordinates go on the wire as invariant-culture strings.</summary>
    public sealed class LocationMessageRequest : SendMessageRequest
    {
        private readonly double _latitude;
        private readonly double _longitude;

        public LocationMessageRequest(string customerNumber, string customerName, double latitude, double longitude, string? locationName, string? address)
            : base(customerNumber, customerName)
        {
            _latitude = latitude;
            _longitude = longitude;
            LocationName = string.IsNullOrEmpty(locationName) ? null : locationName;
            Address = string.IsNullOrEmpty(address) ? null : address;
        }

        [System.Text.Json.Serialization.JsonPropertyOrder(-8)]
        public string Type => "location";

        public string Latitude => _latitude.ToString("R", CultureInfo.InvariantCulture);

        public string Longitude => _longitude.ToString("R", CultureInfo.InvariantCulture);

        public string? LocationName { get; }

        /// <summary>Shown by WhatsApp only when a location name is present too.</summary>
        public string? Address { get; }

        [JsonIgnore]
        public bool AddressHidden => Address != null && LocationName is null;

        protected override string Kind => Type;

        protected override void ValidateContent()
        {
            Check.InRange(_latitude, -90, 90, "latitude");
            Check.InRange(_longitude, -180, 180, "longitude");
        }
    }
}
