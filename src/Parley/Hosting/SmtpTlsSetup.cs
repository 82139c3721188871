using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Parley.Core.Settings;
using Parley.Smtp.Listener;

namespace Parley.Hosting;

/// <summary>
/// The certificate the SMTP listener offers with STARTTLS: the operator's (<c>--smtp-tls-cert</c>, and
/// <c>--smtp-tls-key</c> for a PEM key in its own file), else a self-signed one made on first run and kept, encrypted
/// with the data-protection keys, in the data directory (SQLite) or the database (PostgreSQL: one for every node,
/// <see cref="SelfSignedCertificateStore"/>). Mail servers encrypt opportunistically and do not check the
/// certificate (RFC 3207 §4.1, RFC 7435), so a self-signed one still keeps replies private in transit; senders that
/// enforce MTA-STS or DANE need the operator's certificate for the MX name. The self-signed one is for the host name
/// (<see cref="ServerName"/>), and is made again when that name changes.
/// </summary>
internal sealed partial class SmtpTlsSetup(
    ServeOptions serve, ServerName serverName, IDataProtectionProvider protection, TimeProvider clock, ILogger<SmtpTlsSetup> logger,
    SelfSignedCertificateStore? store = null)
    : IPostConfigureOptions<SmtpListenerOptions>
{
    private readonly SelfSignedCertificateStore _store = store ?? SelfSignedCertificateStore.InDataDirectory(serve.DataDir);

    private volatile SslStreamCertificateContext? _selfSigned;

    public const string SelfSignedFile = "smtp-tls-self-signed.pfx.protected";

    /// <summary>A self-signed certificate is made again this long before it expires.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    public void PostConfigure(string? name, SmtpListenerOptions options) => Configure(options);

    public void Configure(SmtpListenerOptions options)
    {
        if (serve.SmtpTlsCertificate is { Length: > 0 } path)
        {
            var keyPath = serve.SmtpTlsKey is { Length: > 0 } key ? key : null;
            var renewed = new RenewedCertificate(() => LoadOperators(path, keyPath), keyPath is null ? [path] : [path, keyPath], clock, logger);
            (options.Certificate, options.CertificateChain) = (renewed.Current.TargetCertificate, []);
            options.CertificateSource = () => renewed.Current;
        }
        else
        {
            options.Certificate = SelfSigned(options.ServerName);
            _selfSigned = SslStreamCertificateContext.Create(options.Certificate, null, offline: true);
            options.CertificateSource = () => _selfSigned;
            serverName.Changed += Renamed;
        }
    }

    /// <summary>A certificate for the new name; when it cannot be made, the old one is kept and the log says why.</summary>
    private void Renamed(string name)
    {
        try
        {
            _selfSigned = SslStreamCertificateContext.Create(SelfSigned(name), null, offline: true);
        }
        catch (StartupConfigurationException e)
        {
            LogSelfSignedNotRenewed(e, name);
        }
    }

    /// <summary>The certificate with its key, and the intermediates that follow it in the file (sent with it).</summary>
    private (X509Certificate2 Certificate, X509Certificate2Collection Chain) LoadOperators(string certificatePath, string? keyPath)
    {
        X509Certificate2 certificate;
        var chain = new X509Certificate2Collection();
        try
        {
            if (IsPkcs12(certificatePath))
            {
                var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(certificatePath, password: null);
                certificate = all.FirstOrDefault(c => c.HasPrivateKey) ?? all[0];
                chain.AddRange(all.Where(c => c != certificate).ToArray());
            }
            else
            {
                // Re-imported as PKCS#12: a key read from PEM is ephemeral, which some platforms' TLS stacks refuse.
                certificate = Reimport(X509Certificate2.CreateFromPemFile(certificatePath, keyPath is { Length: > 0 } ? keyPath : null));
                var all = new X509Certificate2Collection();
                all.ImportFromPemFile(certificatePath);
                chain.AddRange(all.Where(c => c.Thumbprint != certificate.Thumbprint).ToArray());
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new StartupConfigurationException(
                $"The SMTP TLS certificate could not be loaded from {certificatePath}{(keyPath is { Length: > 0 } ? $" with the key in {keyPath}" : "")}: {e.Message} "
                + "Give a PEM certificate (its chain may follow it) with --smtp-tls-cert and its PEM private key with --smtp-tls-key, "
                + "or a PKCS#12 file without a password with --smtp-tls-cert alone.", e);
        }
        if (!certificate.HasPrivateKey)
        {
            throw new StartupConfigurationException($"The SMTP TLS certificate in {certificatePath} has no private key; give the key's file with --smtp-tls-key.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (certificate.NotAfter.ToUniversalTime() < now)
        {
            LogOperatorsExpired(certificate.Subject, certificate.NotAfter.ToUniversalTime(), certificatePath);
        }
        else if (certificate.NotAfter.ToUniversalTime() < now + TimeSpan.FromDays(14))
        {
            LogOperatorsExpiring(certificate.Subject, certificate.NotAfter.ToUniversalTime(), certificatePath);
        }
        else
        {
            LogOperators(certificate.Subject, certificate.NotAfter.ToUniversalTime(), certificatePath, chain.Count);
        }

        return (certificate, chain);
    }

    private X509Certificate2 SelfSigned(string serverName)
    {
        var protector = protection.CreateProtector("Parley.SmtpTls.SelfSigned.v1");
        var now = clock.GetUtcNow();
        var seen = _store.Read();
        if (seen is not null && Usable(protector, seen, serverName, now) is { } kept)
        {
            LogSelfSigned(serverName, kept.NotAfter.ToUniversalTime());
            return kept;
        }

        var pkcs12 = CreateSelfSigned(serverName, now);
        var made = protector.Protect(pkcs12);
        var stored = _store.Replace(seen, made);
        // Another node of the cluster made one at the same moment and kept it first: present that one, as it does.
        if (!stored.AsSpan().SequenceEqual(made) && Usable(protector, stored, serverName, now) is { } theirs)
        {
            LogSelfSigned(serverName, theirs.NotAfter.ToUniversalTime());
            return theirs;
        }

        var created = X509CertificateLoader.LoadPkcs12(pkcs12, password: null);
        LogSelfSignedCreated(serverName, created.NotAfter.ToUniversalTime(), _store.Where);
        return created;
    }

    /// <summary>The kept certificate, unless it is near expiry, made for another name or unreadable.</summary>
    private X509Certificate2? Usable(IDataProtector protector, byte[] stored, string serverName, DateTimeOffset now)
    {
        try
        {
            var kept = X509CertificateLoader.LoadPkcs12(protector.Unprotect(stored), password: null);
            if (kept.NotAfter.ToUniversalTime() > (now + RenewBefore).UtcDateTime && kept.GetNameInfo(X509NameType.SimpleName, false) == serverName)
            {
                return kept;
            }
            kept.Dispose(); // near expiry, or made for another name
        }
        catch (CryptographicException e)
        {
            // The data-protection keys changed (or the copy is damaged): a new certificate costs nothing.
            LogSelfSignedUnreadable(e, _store.Where);
        }
        return null;
    }

    /// <summary>RSA 2048, for the widest range of sending servers; a server certificate for the listener's name, 2 years.</summary>
    private static byte[] CreateSelfSigned(string serverName, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={serverName}"), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (Uri.CheckHostName(serverName) == UriHostNameType.Dns)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(serverName);
            request.CertificateExtensions.Add(names.Build());
        }
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        return certificate.Export(X509ContentType.Pkcs12);
    }

    private static X509Certificate2 Reimport(X509Certificate2 fromPem)
    {
        using (fromPem)
        {
            return X509CertificateLoader.LoadPkcs12(fromPem.Export(X509ContentType.Pkcs12), password: null);
        }
    }

    private static bool IsPkcs12(string path) =>
        path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "STARTTLS: self-signed certificate for {Name}, valid until {NotAfter:yyyy-MM-dd} (give --smtp-tls-cert and --smtp-tls-key for one that senders can verify)")]
    private partial void LogSelfSigned(string name, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "STARTTLS: made a self-signed certificate for {Name}, valid until {NotAfter:yyyy-MM-dd}, kept encrypted in {Path}")]
    private partial void LogSelfSignedCreated(string name, DateTime notAfter, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STARTTLS: the self-signed certificate in {Path} could not be read (were the data-protection keys replaced?); making a new one")]
    private partial void LogSelfSignedUnreadable(Exception e, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "STARTTLS: no self-signed certificate could be made for the new host name {Name}; the listener keeps offering the old one")]
    private partial void LogSelfSignedNotRenewed(Exception e, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "STARTTLS: certificate {Subject} from {Path}, valid until {NotAfter:yyyy-MM-dd}, with {Intermediates} intermediate certificate(s)")]
    private partial void LogOperators(string subject, DateTime notAfter, string path, int intermediates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STARTTLS: the certificate {Subject} from {Path} expires on {NotAfter:yyyy-MM-dd}; renew it (Parley reads the renewed files within a minute)")]
    private partial void LogOperatorsExpiring(string subject, DateTime notAfter, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "STARTTLS: the certificate {Subject} from {Path} expired on {NotAfter:yyyy-MM-dd}; senders that check it will not deliver over TLS. Renew it (Parley reads the renewed files within a minute)")]
    private partial void LogOperatorsExpired(string subject, DateTime notAfter, string path);
}
