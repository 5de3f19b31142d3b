using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sobot.Receiver.Tests;

public class SecurityTests
{
    [Fact]
    public async Task An_address_outside_allow_ip_is_refused_with_403_and_nothing_stored()
    {
        await using var r = await Receiver.StartAsync(o =>
        {
            o.AllowIp = [.. ReceiverOptions.Networks("--allow-ip", "203.0.113.0/24")];
            o.RefusalSummaryInterval = TimeSpan.FromSeconds(1);
        });
        using (var response = await r.PostWebhookAsync(Payloads.InboundText)) Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using (var health = await r.Ingress.GetAsync("healthz")) Assert.Equal(HttpStatusCode.Forbidden, health.StatusCode);
        // Without --trusted-proxy a forwarded address is not believed.
        var forwarded = new HttpRequestMessage(HttpMethod.Post, r.WebhookPath) { Content = new StringContent(Payloads.InboundText) };
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using (var response = await r.Ingress.SendAsync(forwarded)) Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, r.CountRows("bodies"));
        // The allow-list guards the ingress only; scripts on the query listener are not affected.
        Assert.Empty(await r.EventsAsync());
        // Counted and summed up, a warning.
        await RefusalLogTests.Until(() => r.Logs.Refused("Warning", "ingress requests? from outside --allow-ip") == 3);
    }

    [Fact]
    public async Task An_allowed_address_gets_through_and_loopback_can_be_allowed()
    {
        await using var r = await Receiver.StartAsync(o => o.AllowIp = [.. ReceiverOptions.Networks("--allow-ip", "203.0.113.0/24, 127.0.0.1")]);
        await r.DeliverAsync(Payloads.InboundText);
        Assert.Single(await r.EventsAsync());
    }

    [Fact]
    public async Task Forwarded_addresses_are_believed_only_from_a_trusted_proxy()
    {
        await using var r = await Receiver.StartAsync(o =>
        {
            o.AllowIp = [.. ReceiverOptions.Networks("--allow-ip", "203.0.113.0/24")];
            o.TrustedProxies = [.. ReceiverOptions.Networks("--trusted-proxy", "127.0.0.1")];
        });
        var allowed = new HttpRequestMessage(HttpMethod.Post, r.WebhookPath) { Content = new StringContent(Payloads.InboundText) };
        allowed.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using (var response = await r.Ingress.SendAsync(allowed)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outside = new HttpRequestMessage(HttpMethod.Post, r.WebhookPath) { Content = new StringContent(Payloads.Status("wamid.X", "sent", 1)) };
        outside.Headers.Add("X-Forwarded-For", "198.51.100.7");
        using (var response = await r.Ingress.SendAsync(outside)) Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["wamid.TEXT1"], (await r.EventsAsync()).Select(e => (string)e!["messageId"]!));
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("pfx")]
    public async Task Kestrel_serves_https_with_a_pem_or_pfx_certificate(string format)
    {
        using var folder = new TempDirectory();
        using var certificate = SelfSigned();
        string certificatePath, keyPath = folder.File("key.pem");
        if (format == "pem")
        {
            certificatePath = folder.File("cert.pem");
            File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
            File.WriteAllText(keyPath, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }
        else
        {
            certificatePath = folder.File("cert.pfx");
            File.WriteAllBytes(certificatePath, certificate.Export(X509ContentType.Pkcs12, "pfx-password"));
            File.WriteAllText(folder.File("password"), "pfx-password\n");
        }
        await using var r = await Receiver.StartAsync(o =>
        {
            o.QueryUrls = [ListenAddress.Parse("test", "https://127.0.0.1:0")];
            o.IngressUrls = [ListenAddress.Parse("test", "https://127.0.0.1:0")];
            o.CertificatePath = certificatePath;
            if (format == "pem") o.CertificateKeyPath = keyPath;
            else o.CertificatePasswordFile = folder.File("password");
        });
        Assert.StartsWith("https://", r.Host.QueryUrl);
        using var handler = new HttpClientHandler
        {
            // Trust exactly the certificate the test made, nothing else.
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        using var client = new HttpClient(handler);
        using (var post = await client.PostAsync(new Uri(r.Host.IngressUrl, r.WebhookPath), new StringContent(Payloads.InboundText)))
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Get, r.Host.QueryUrl + "/v1/events");
        request.Headers.Add("x-receiver-key", Receiver.QueryKey);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("wamid.TEXT1", await response.Content.ReadAsStringAsync());
    }

    private static X509Certificate2 SelfSigned()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
