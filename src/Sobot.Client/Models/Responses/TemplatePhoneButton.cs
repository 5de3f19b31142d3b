namespace Sobot.Client.Models.Responses
{
    /// <summary>A call button of a template: the number it calls and its text.</summary>
    public sealed class TemplatePhoneButton
    {
        public TemplatePhoneButton(string? phoneNumber, string? text)
        {
            PhoneNumber = phoneNumber;
            Text = text;
        }

        public string? PhoneNumber { get; }
        public string? Text { get; }
    }
}
