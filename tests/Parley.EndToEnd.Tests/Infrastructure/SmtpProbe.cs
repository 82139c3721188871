using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>Looks at Parley's SMTP listener as a sending MTA sees it: the greeting, and the certificate STARTTLS offers.</summary>
public static class SmtpProbe
{
    /// <summary>The first line the listener sends, e.g. "220 mail.example.com ESMTP Parley".</summary>
    public static async Task<string> GreetingAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        using var reader = new StreamReader(client.GetStream());
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return line ?? "";
    }

    /// <summary>Connects with STARTTLS (as a sending MTA does) and returns the certificate the listener offered.</summary>
    public static async Task<X509Certificate2> OfferedCertificateAsync(int port) => (await OfferedAsync(port)).Certificate;

    /// <summary>The offered certificate, and the thumbprints of the certificates the client's chain could use (sent along).</summary>
    public static async Task<(X509Certificate2 Certificate, HashSet<string> Chain)> OfferedAsync(int port)
    {
        X509Certificate2? offered = null;
        var chainSeen = new HashSet<string>();
        using var client = new SmtpClient
        {
            ServerCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                offered = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                foreach (var element in chain!.ChainElements)
                {
                    chainSeen.Add(element.Certificate.Thumbprint);
                }

                foreach (var extra in chain.ChainPolicy.ExtraStore)
                {
                    chainSeen.Add(extra.Thumbprint);
                }

                return true;
            },
        };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
        await client.DisconnectAsync(quit: true);
        return (offered!, chainSeen);
    }
}
