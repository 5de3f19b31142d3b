using Sobot.Client.Validation;

namespace Sobot.Receiver.Store;

/// <summary>
/// A customer number as the store keys it: <see cref="PhoneNumberNormalizer.Canonical"/>, the client's one rule, so
/// "+91 98765-00040" and "919876500040" are one customer in events, opt-outs and windows, whoever typed them.
/// </summary>
public static class NumberKey
{
    /// <summary>For store methods given a number by a caller: a number that is not one is the caller's mistake.</summary>
    public static string Require(string number) =>
        PhoneNumberNormalizer.Canonical(number) ?? throw new ArgumentException(NotANumber(number), nameof(number));

    /// <summary>The one wording of the refusal, for the store's exception and the query API's 400.</summary>
    public static string NotANumber(string number) => Sobot.Client.Receiver.ReceiverQueryFields.NotANumber(number);
}
