namespace Sobot.Receiver;

/// <summary>The kinds of request the receiver turns away; <see cref="RefusalLog"/> counts each and sums it up once a minute.</summary>
public enum Refusal
{
    /// <summary>A POST to the webhook path with a token that is not the receiver's (404).</summary>
    WrongToken,
    /// <summary>A request with a method its path does not take: a GET on the webhook path, a POST to /healthz (404).</summary>
    WrongMethod,
    /// <summary>A path that does not exist on that listener (404).</summary>
    UnknownPath,
    /// <summary>An ingress request from an address outside --allow-ip (403).</summary>
    NotAllowed,
    /// <summary>A webhook body over 3 MB of payload (413).</summary>
    TooLarge,
    /// <summary>A query API request without the right x-receiver-key (401).</summary>
    WrongQueryKey,
    /// <summary>A long poll beyond --max-waits (429).</summary>
    TooManyWaits,
}
