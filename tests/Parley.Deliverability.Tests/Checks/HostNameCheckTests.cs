using System.Net;
using Parley.Deliverability.Checks;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Parley.Testing;

namespace Parley.Deliverability.Tests.Checks;

/// <summary>The host name Parley says EHLO with, over a real DNS server (dnsmasq on 127.0.0.1) through the wire resolver.</summary>
public sealed class HostNameCheckTests
{
    [Fact]
    public async Task A_host_name_must_be_a_full_domain_name_with_an_address_that_is_this_server()
    {
        await using var server = await DnsmasqPeer.StartAsync(["host-record=mail.example.test,203.0.113.10,2001:db8::10"], ["test"], CancellationToken.None);
        var check = new HostNameCheck(new DnsClientResolver(new DnsOptions { Servers = [server.Server], Timeout = TimeSpan.FromSeconds(2), Retries = 0 }));
        var ip = IPAddress.Parse("203.0.113.10");

        Assert.Equal("host.not-fqdn", Assert.Single(await check.CheckAsync("vm", ip, CancellationToken.None)).Id);
        Assert.Equal("host.not-fqdn", Assert.Single(await check.CheckAsync("203.0.113.10", ip, CancellationToken.None)).Id);

        var unresolved = Assert.Single(await check.CheckAsync("nothing.example.test", ip, CancellationToken.None));
        Assert.Equal(("host.unresolved", FindingSeverity.Warn), (unresolved.Id, unresolved.Severity));
        Assert.Equal(new DnsFix("A", "nothing.example.test", "203.0.113.10"), unresolved.Fix);

        // Without the public IP the doctor cannot tell which server it is; it says so instead of passing.
        Assert.Equal("host.resolves", Assert.Single(await check.CheckAsync("mail.example.test", null, CancellationToken.None)).Id);
        Assert.Equal("host.valid", Assert.Single(await check.CheckAsync("MAIL.example.test.", ip, CancellationToken.None)).Id);
        Assert.Equal("host.valid", Assert.Single(await check.CheckAsync("mail.example.test", IPAddress.Parse("2001:db8::10"), CancellationToken.None)).Id);
    }
}
