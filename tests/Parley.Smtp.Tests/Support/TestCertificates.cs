using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Smtp.Tests.Support;

public static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> Server = new(Create);

    /// <summary>A self-signed certificate for mx.parley.test, made once per test run.</summary>
    public static X509Certificate2 SelfSigned => Server.Value;

    private static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mx.parley.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("mx.parley.test");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Round-trip through PKCS#12 so SslStream on Linux gets a certificate with a usable private key.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
