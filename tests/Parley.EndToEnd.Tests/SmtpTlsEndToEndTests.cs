using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Smtp.Listener;

namespace Parley.EndToEnd.Tests;

/// <summary>STARTTLS on a whole Parley as `parley serve` runs it: a self-signed certificate by default, the operator's when given.</summary>
public sealed class SmtpTlsEndToEndTests(ITestOutputHelper output)
{
    private const string AliasDomain = "in.parley.test";

    [Fact]
    public async Task A_new_server_offers_STARTTLS_with_a_self_signed_certificate_and_takes_mail_over_it()
    {
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(AliasDomain, o => o with { SmtpName = "mx.in.parley.test" }); // serve's --smtp-name
        await parley.PostAsync("/api/v1/inbound/aliases", new { localPart = "support", contactPolicy = "everyone" });

        var certificate = await SmtpProbe.OfferedCertificateAsync(parley.SmtpPort);
        Assert.Equal("mx.in.parley.test", parley.Services.GetRequiredService<IOptions<SmtpListenerOptions>>().Value.ServerName);
        Assert.Equal("mx.in.parley.test", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(certificate.Subject, certificate.Issuer);

        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = "bruno@newco.test",
            To = ["support@" + AliasDomain],
            StartTls = true,
            Data = "From: Bruno <bruno@newco.test>\nTo: support@in.parley.test\nSubject: Over TLS\nMessage-ID: <tls1@newco.test>\n\nPrivate.\n",
        });
        output.WriteLine(swaks.Transcript);
        Assert.Equal(0, swaks.ExitCode);
        Assert.Contains("TLS started", swaks.Transcript);

        await parley.WaitForInboundStatsAsync(s => s.GetProperty("routed").GetInt32() >= 1, "the message sent over TLS is routed");
        await using var scope = parley.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Parley.Core.Data.ParleyDbContext>();
        var rawId = db.Inbound.Single().RawMimeId;
        var received = System.Text.Encoding.UTF8.GetString(db.RawMimes.Single(r => r.Id == rawId).Content);
        Assert.Contains("by mx.in.parley.test (Parley) with ESMTPS", received); // RFC 3848: the Received header records that TLS was used
    }

    [Fact]
    public async Task The_certificate_given_to_serve_is_offered_with_the_intermediate_that_follows_it_in_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("parley-tls-");
        try
        {
            // A CA, an intermediate it signed, and the server's certificate the intermediate signed: a fullchain.pem as
            // Let's Encrypt writes it holds the last two.
            var now = DateTimeOffset.UtcNow;
            using var rootKey = RSA.Create(2048);
            using var root = Authority("CN=Test Root", rootKey).CreateSelfSigned(now.AddDays(-1), now.AddDays(365));
            using var intermediateKey = RSA.Create(2048);
            using var intermediate = Authority("CN=Test Intermediate", intermediateKey).Create(root, now.AddDays(-1), now.AddDays(180), [1]);
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=mx.customer.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var made = request.Create(intermediate.CopyWithPrivateKey(intermediateKey), now.AddDays(-1), now.AddDays(90), [2]);
            var certPath = Path.Combine(dir.FullName, "fullchain.pem");
            var keyPath = Path.Combine(dir.FullName, "privkey.pem");
            await File.WriteAllTextAsync(certPath, made.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

            await using var parley = await ParleyHost.ServeAsync(o => o with { SmtpTlsCertificate = certPath, SmtpTlsKey = keyPath });

            var (offered, chain) = await SmtpProbe.OfferedAsync(parley.SmtpPort);
            Assert.Equal(made.Thumbprint, offered.Thumbprint);
            Assert.Contains(intermediate.Thumbprint, chain); // sent along: a verifying sender needs nothing else
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_read_stops_start_up_with_an_error_that_names_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "parley-no-such-cert-" + Guid.NewGuid().ToString("N")[..8] + ".pem");

        var error = await Record.ExceptionAsync(() => ParleyHost.ServeAsync(o => o with { SmtpTlsCertificate = missing }));

        Assert.NotNull(error);
        var messages = string.Join(" | ", Flatten(error));
        output.WriteLine(messages);
        Assert.Contains(missing, messages);
        Assert.Contains("--smtp-tls-cert", messages);
    }

    private static CertificateRequest Authority(string name, RSA key)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request;
    }

    private static IEnumerable<string> Flatten(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x.Message;
        }
    }
}
