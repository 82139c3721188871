using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Core.Settings;
using Parley.Hosting;
using Parley.Smtp.Listener;

namespace Parley.Tests.Hosting;

/// <summary>The operator's certificate files renewed in place (as certbot does) are offered without a restart.</summary>
public sealed class RenewedCertificateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-renew-").FullName;
    private string CertPath => Path.Combine(_dir, "fullchain.pem");
    private string KeyPath => Path.Combine(_dir, "privkey.pem");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, DateTime stamp)
    {
        using var key = RSA.Create(2048);
        using var made = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        File.WriteAllText(CertPath, made.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
        File.SetLastWriteTimeUtc(CertPath, stamp);
        File.SetLastWriteTimeUtc(KeyPath, stamp);
        return made.Thumbprint;
    }

    [Fact]
    public void Renewed_files_are_offered_after_the_next_check_and_a_half_written_one_keeps_the_previous()
    {
        var first = Write("mx.example.test", new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc));
        var clock = new MovableClock(DateTimeOffset.UtcNow);
        var options = new SmtpListenerOptions();
        var serve = new ServeOptions { DataDir = _dir, SmtpTlsCertificate = CertPath, SmtpTlsKey = KeyPath };
        new SmtpTlsSetup(serve, new ServerName("mx.example.test"), DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(_dir, "keys"))), clock, NullLogger<SmtpTlsSetup>.Instance)
            .Configure(options);
        var offered = () => options.CertificateSource!().TargetCertificate.Thumbprint;
        Assert.Equal(first, offered());
        Assert.Equal(first, options.Certificate!.Thumbprint);

        var renewed = Write("mx.example.test", new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(first, offered()); // not checked again within the minute
        clock.Advance(RenewedCertificate.CheckEvery);
        Assert.Equal(renewed, offered());

        File.WriteAllText(CertPath, "-----BEGIN CERTIFIC"); // caught mid-write
        File.SetLastWriteTimeUtc(CertPath, new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        clock.Advance(RenewedCertificate.CheckEvery);
        Assert.Equal(renewed, offered());
    }

    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
