using System.Net;
using Parley.Deliverability.Checks;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Parley.Testing;

namespace Parley.Deliverability.Tests.Checks;

/// <summary>DNSBL and reverse DNS over a real DNS server (dnsmasq on 127.0.0.1) through the wire resolver.</summary>
public sealed class DnsblDnsmasqTests
{
    [Fact]
    public async Task Listed_and_clean_addresses_over_real_dns()
    {
        await using var server = await DnsmasqPeer.StartAsync(
            [
                "host-record=2.113.0.203.bl.test,127.0.0.2",
                "host-record=mail.example.test,203.0.113.10",
                "ptr-record=10.113.0.203.in-addr.arpa,mail.example.test",
            ],
            ["test", "113.0.203.in-addr.arpa"],
            CancellationToken.None);
        var dns = new DnsClientResolver(new DnsOptions { Servers = [server.Server], Timeout = TimeSpan.FromSeconds(2), Retries = 0 });
        var check = new DnsblCheck(dns);

        var listed = await check.CheckAsync(IPAddress.Parse("203.0.113.2"), ["bl.test"], CancellationToken.None);
        var clean = await check.CheckAsync(IPAddress.Parse("203.0.113.10"), ["bl.test"], CancellationToken.None);
        var ptr = await new PtrCheck(dns).CheckAsync(IPAddress.Parse("203.0.113.10"), "MAIL.example.test.", CancellationToken.None);

        Assert.Equal("dnsbl.listed", Assert.Single(listed).Id);
        Assert.Equal(FindingSeverity.Pass, Assert.Single(clean).Severity);
        Assert.Equal("ptr.valid", Assert.Single(ptr).Id);
    }
}
