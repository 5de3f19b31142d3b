using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Sobot.Receiver;

/// <summary>
/// One URL to listen on, as given on the command line: http(s)://host:port, where host is an IP address,
/// <c>localhost</c>, or <c>*</c> / <c>+</c> / <c>0.0.0.0</c> / <c>[::]</c> for every interface. Port 0 picks a free port.
/// </summary>
public sealed partial record ListenAddress(bool Https, string Host, int Port)
{
    public bool IsWildcard => Host is "*" or "+" || (IPAddress.TryParse(Host, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));

    public bool IsLocalhost => string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase);

    public string Scheme => Https ? "https" : "http";

    public static ListenAddress Parse(string option, string text)
    {
        var match = UrlPattern().Match(text.Trim());
        if (!match.Success)
            throw new ArgumentException($"{option}: '{text}' is not http(s)://host:port (host an IP address, localhost, or * for every interface).");
        bool https = match.Groups["scheme"].Value.Equals("https", StringComparison.OrdinalIgnoreCase);
        string host = match.Groups["host"].Value.Trim('[', ']');
        int port = match.Groups["port"].Success ? int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture) : https ? 443 : 80;
        if (port > 65535) throw new ArgumentException($"{option}: port {port} is out of range.");
        var address = new ListenAddress(https, host, port);
        if (!address.IsWildcard && !address.IsLocalhost && !IPAddress.TryParse(host, out _))
            throw new ArgumentException($"{option}: '{host}' is not an IP address; listen on an address (or * for all) and put host names in the reverse proxy.");
        if (address.IsLocalhost && port == 0)
            throw new ArgumentException($"{option}: port 0 needs an IP address (127.0.0.1), not localhost.");
        return address;
    }

    public static IReadOnlyList<ListenAddress> ParseList(string option, string text)
    {
        var list = text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => Parse(option, t)).ToList();
        return list.Count > 0 ? list : throw new ArgumentException($"{option} needs at least one URL.");
    }

    /// <summary>The URL with the given (bound) port; an IPv6 host gets its brackets back.</summary>
    public string ToUrl(int port) => $"{Scheme}://{(Host.Contains(':') ? "[" + Host + "]" : Host)}:{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The URL a process on this machine uses to reach the listener: a wildcard host becomes 127.0.0.1 (every
    /// wildcard listener accepts IPv4 loopback, see <see cref="ReceiverHost"/>).
    /// </summary>
    public string ToLocalUrl(int port) => IsWildcard ? (this with { Host = "127.0.0.1" }).ToUrl(port) : ToUrl(port);

    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>\[[0-9A-Fa-f:.]+\]|[^:/\[\]]+)(:(?<port>\d{1,5}))?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();
}
