using System.Net;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Tests.Dns;

public sealed class DnsOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:5353", "127.0.0.1", 5353)]
    [InlineData("127.0.0.1", "127.0.0.1", 53)]
    [InlineData("::1", "::1", 53)]
    [InlineData("[::1]:5300", "::1", 5300)]
    [InlineData(" 192.0.2.53:53 ", "192.0.2.53", 53)]
    public void Server_endpoints_parse(string text, string address, int port)
    {
        Assert.True(DnsOptions.TryParseServer(text, out var endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endPoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("dns.example:53")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    public void Bad_server_endpoints_are_rejected(string text)
    {
        Assert.False(DnsOptions.TryParseServer(text, out _));
    }

    [Fact]
    public void Resolver_rejects_a_bad_server_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new DnsClientResolver(new DnsOptions { Servers = ["not-an-ip:53"] }));
    }

    [Fact]
    public async Task Unreachable_server_gives_timeout_not_an_exception()
    {
        // A loopback UDP port nobody listens on: the kernel answers ICMP port-unreachable or nothing.
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var resolver = new DnsClientResolver(new DnsOptions { Servers = [$"127.0.0.1:{port}"], Timeout = TimeSpan.FromMilliseconds(200), Retries = 0, UseTcpFallback = false });

        var answer = await resolver.QueryTxtAsync("example.test", CancellationToken.None);

        Assert.True(answer.IsTemporaryFailure, answer.Status.ToString());
    }
}
