using CsCheck;
using Sobot.Client.Validation;

namespace Sobot.Client.Tests;

public class PhoneNumberNormalizerTests
{
    [Theory]
    [InlineData("919970585556", null, "919970585556")]
    [InlineData("+91 99705-85556", null, "919970585556")]
    [InlineData("+91 (997) 058 5556", null, "919970585556")]
    [InlineData("0091 9970585556", null, "919970585556")]
    [InlineData("09970585556", "IN", "919970585556")]
    [InlineData("9970585556", "IN", "919970585556")]
    [InlineData("919970585556", "IN", "919970585556")]
    [InlineData("+44 (0)20 7946 0958", null, "442079460958")]
    [InlineData("(0)20 7946 0958", "GB", "442079460958")]
    [InlineData("+1 (415) 555-0132", null, "14155550132")]
    [InlineData("(415) 555-0132", "us", "14155550132")]
    [InlineData("919970585556", "US", "919970585556")]
    public void Normalizes_what_people_type_to_the_contract_form(string input, string? region, string expected)
    {
        Assert.Equal(expected, new PhoneNumberNormalizer(region).Normalize(input));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("12345", null)]
    [InlineData("abc", "IN")]
    [InlineData("+91 99705 8555x", null)]
    [InlineData("09970585556", null)]
    [InlineData("+999 1234567", null)]
    [InlineData("1234567890123456789", null)]
    public void Refuses_numbers_that_cannot_exist(string input, string? region)
    {
        var ex = Assert.Throws<SobotValidationException>(() => new PhoneNumberNormalizer(region).Normalize(input));
        Assert.Equal("customer_number", ex.Field);
    }

    [Fact]
    public void A_national_number_without_a_region_says_how_to_fix_it()
    {
        var ex = Assert.Throws<SobotValidationException>(() => new PhoneNumberNormalizer().Normalize("09970585556"));
        Assert.Contains("default region", ex.Message);
    }

    [Fact]
    public void An_unknown_region_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new PhoneNumberNormalizer("XX"));
    }

    [Fact]
    public void Normalization_is_idempotent_and_yields_digits_only()
    {
        var regions = new[] { (string?)null, "IN", "US", "GB", "DE", "BR" };
        var numbers = Gen.OneOf(
            Gen.Select(Gen.Int[6_000_000, 9_999_999], Gen.Int[100, 999], (a, b) => "+91 " + a + b),
            Gen.Select(Gen.Int[200, 999], Gen.Int[200, 999], Gen.Int[0, 9999], (a, b, c) => $"+1 ({a}) {b}-{c:0000}"),
            Gen.Select(Gen.Int[7000, 7999], Gen.Int[0, 999_999], (a, b) => $"0{a} {b:000000}"),
            Gen.String[Gen.Char["0123456789 +()-"], 0, 20]);
        Gen.Select(numbers, Gen.OneOfConst(regions)).Sample((input, region) =>
        {
            var normalizer = new PhoneNumberNormalizer(region);
            if (!normalizer.TryNormalize(input, out var once, out _)) return;
            // Digits only, country code first, at most 15 (E.164). No lower bound beyond a few digits: libphonenumber
            // holds some short numbers valid (the generator found "+98 9602"), and validity is its call, not ours.
            Assert.Matches("^[1-9][0-9]{3,14}$", once);
            Assert.Equal(once, normalizer.Normalize(once));
            Assert.Equal(once, new PhoneNumberNormalizer().Normalize(once));
        }, iter: 3000);
    }
}
