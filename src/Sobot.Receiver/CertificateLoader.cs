using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sobot.Receiver;

/// <summary>Loads the Kestrel TLS certificate: a PFX/PKCS#12 file, or a PEM certificate with its PEM key.</summary>
public static class CertificateLoader
{
    public static X509Certificate2 Load(ReceiverOptions options, Func<string, string?> environment)
    {
        string path = options.CertificatePath ?? throw new ArgumentException("No --certificate given.");
        try
        {
            return LoadFile(options, path, environment);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // One line naming the file, never the password.
            throw new ReceiverStartException(ex is UnauthorizedAccessException ? StartFailure.AccessDenied : StartFailure.StartFailed,
                $"Cannot load the certificate {Path.GetFullPath(path)}: {ex.Message}", ex);
        }
    }

    private static X509Certificate2 LoadFile(ReceiverOptions options, string path, Func<string, string?> environment)
    {
        string? password = options.CertificatePasswordFile != null
            ? File.ReadAllText(options.CertificatePasswordFile).TrimEnd('\r', '\n')
            : environment(ReceiverOptions.CertificatePasswordVariable);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".pfx" or ".p12")
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);

        string keyPath = options.CertificateKeyPath ?? path;
        var pem = password == null
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        if (!OperatingSystem.IsWindows()) return pem;
        // Windows' TLS stack (SChannel) cannot use the ephemeral key a PEM load gives; a PKCS#12 round trip persists it.
        using (pem) return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
