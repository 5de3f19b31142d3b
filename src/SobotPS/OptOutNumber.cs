using System.Linq;

namespace SobotPS
{
    /// <summary>A number as the opt-out list keys it: digits only, as WhatsApp's wa_id.</summary>
    internal static class OptOutNumber
    {
        public static string Of(string number) => new string(number.Where(char.IsDigit).ToArray());
    }
}
