using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Parley.Smtp.Tests.Support;

namespace Parley.Smtp.Tests.Listener;

public sealed class StartTlsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Commands_pipelined_after_starttls_are_not_run_inside_tls()
    {
        // CVE-2011-0411: plaintext sent together with STARTTLS must not be answered after the handshake.
        await using var server = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.SelfSigned);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        var network = tcp.GetStream();
        var plain = new StreamReader(network, Encoding.ASCII, false, 1, leaveOpen: true);
        Assert.StartsWith("220 ", await plain.ReadLineAsync());
        await network.WriteAsync(Encoding.ASCII.GetBytes("EHLO client.test\r\n"));
        while ((await plain.ReadLineAsync())!.StartsWith("250-", StringComparison.Ordinal))
        {
        }

        await network.WriteAsync(Encoding.ASCII.GetBytes("STARTTLS\r\nMAIL FROM:<injected@client.test>\r\n"));
        Assert.Equal("220 2.0.0 Ready to start TLS", await plain.ReadLineAsync());

        await using var tls = new SslStream(network, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("mx.parley.test");
        var secure = new StreamReader(tls, Encoding.ASCII);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("NOOP\r\n"));
        var first = await secure.ReadLineAsync();
        output.WriteLine($"first reply inside TLS: {first}");

        Assert.Equal("250 2.0.0 Ok", first); // NOOP's, not the injected MAIL's
        await tls.WriteAsync(Encoding.ASCII.GetBytes("MAIL FROM:<a@client.test>\r\n"));
        Assert.Equal("503 5.5.1 Error: send HELO/EHLO first", await secure.ReadLineAsync());
    }
}
