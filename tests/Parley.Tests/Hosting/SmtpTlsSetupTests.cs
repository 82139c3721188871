using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Core.Settings;
using Parley.Hosting;
using Parley.Smtp.Listener;

namespace Parley.Tests.Hosting;

/// <summary>The listener's STARTTLS certificate when the operator gives none: made once, kept encrypted, renewed.</summary>
public sealed class SmtpTlsSetupTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "parley-tls-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    private X509Certificate2 Configure(string serverName, DateTimeOffset? now = null)
    {
        var keys = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(_dataDir, "keys")));
        var clock = new FixedClock(now ?? DateTimeOffset.UtcNow);
        var options = new SmtpListenerOptions { ServerName = serverName };
        new SmtpTlsSetup(new ServeOptions { DataDir = _dataDir }, new ServerName(serverName), keys, clock, NullLogger<SmtpTlsSetup>.Instance).Configure(options);
        return options.Certificate!;
    }

    [Fact]
    public void A_self_signed_certificate_is_made_once_for_the_server_name_and_kept_across_restarts()
    {
        var first = Configure("mx.example.test");
        var again = Configure("mx.example.test");

        Assert.True(first.HasPrivateKey);
        Assert.Equal("mx.example.test", first.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(first.Subject, first.Issuer);
        Assert.Contains("mx.example.test", first.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.Contains(first.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
        Assert.Equal(first.Thumbprint, again.Thumbprint);
    }

    [Fact]
    public void The_kept_private_key_is_encrypted_and_readable_only_by_its_owner()
    {
        Configure("mx.example.test");
        var path = Path.Combine(_dataDir, SmtpTlsSetup.SelfSignedFile);

        Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12(File.ReadAllBytes(path), password: null));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void A_new_certificate_is_made_near_expiry_for_a_new_server_name_and_when_the_keys_are_gone()
    {
        var first = Configure("mx.example.test");

        var nearExpiry = Configure("mx.example.test", first.NotAfter.ToUniversalTime().AddDays(-10));
        Assert.NotEqual(first.Thumbprint, nearExpiry.Thumbprint);

        var renamed = Configure("mail.example.test");
        Assert.Equal("mail.example.test", renamed.GetNameInfo(X509NameType.SimpleName, false));

        Directory.Delete(Path.Combine(_dataDir, "keys"), recursive: true);
        var afterKeysLost = Configure("mail.example.test");
        Assert.NotEqual(renamed.Thumbprint, afterKeysLost.Thumbprint);
        Assert.True(afterKeysLost.HasPrivateKey);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
