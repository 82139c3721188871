using System.Net;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Spf;
using Parley.Deliverability.Tests.Peers;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Deliverability.Tests.Spf.CrossCheck;

/// <summary>
/// Same records, same questions, same answers: Parley (through the real DnsClient resolver, over the
/// wire) and Debian's python3-spf both ask one dnsmasq on loopback, for every domain × client address.
/// </summary>
public sealed class PySpfCrossCheckTests(ITestOutputHelper output)
{
    private const string Helo = "mail.client.test";

    /// <summary>dnsmasq option lines: ip4/ip6/a/mx/include/redirect/exists/macros/ptr/-all/~all and error cases.</summary>
    private static readonly string[] Records =
    [
        "txt-record=ip4.test,\"v=spf1 ip4:192.0.2.0/25 -all\"",
        "txt-record=ip6.test,\"v=spf1 ip6:2001:db8::/48 ~all\"",
        "txt-record=a.test,\"v=spf1 a -all\"",
        "host-record=a.test,192.0.2.10,2001:db8::10",
        "txt-record=acidr.test,\"v=spf1 a:host.acidr.test/24 a:host.acidr.test//64 -all\"",
        "host-record=host.acidr.test,198.51.100.7,2001:db8:1::7",
        "txt-record=mx.test,\"v=spf1 mx -all\"",
        "mx-host=mx.test,mail.mx.test,10",
        "mx-host=mx.test,backup.mx.test,20",
        "host-record=mail.mx.test,203.0.113.5",
        "host-record=backup.mx.test,203.0.113.6,2001:db8:2::6",
        "txt-record=mxcidr.test,\"v=spf1 mx:mx.test/24 ?all\"",
        "txt-record=inc.test,\"v=spf1 include:ip4.test include:mx.test -all\"",
        "txt-record=incsoft.test,\"v=spf1 -include:ip6.test ~all\"",
        "txt-record=redir.test,\"v=spf1 ip4:203.0.113.0/24 redirect=a.test\"",
        "txt-record=exists.test,\"v=spf1 exists:%{i}.bl.exists.test -all\"",
        "host-record=192.0.2.77.bl.exists.test,127.0.0.2",
        "txt-record=macro.test,\"v=spf1 exists:%{ir}.%{l1r-}.user.%{d2} ~all\"",
        "host-record=10.2.0.192.john.user.macro.test,127.0.0.2",
        "txt-record=ptr.test,\"v=spf1 ptr -all\"",
        "host-record=mail.ptr.test,192.0.2.99",
        "txt-record=neutral.test,\"v=spf1 ?all\"",
        "host-record=none.test,192.0.2.1",
        "txt-record=multi.test,\"v=spf1 -all\"",
        "txt-record=multi.test,\"v=spf1 +all\"",
        "txt-record=syntax.test,\"v=spf1 ip4:192.0.2.300 -all\"",
        "txt-record=void.test,\"v=spf1 a:nx1.test a:nx2.test a:nx3.test -all\"",
        "txt-record=loop.test,\"v=spf1 include:loop2.test -all\"",
        "txt-record=loop2.test,\"v=spf1 include:loop.test -all\"",
        "txt-record=split.test,\"v=spf1 ip4:192.0.2.0/25 \",\"include:mx.test -all\"",
        "txt-record=exp.test,\"v=spf1 ip4:192.0.2.10 -all exp=why.exp.test\"",
        "txt-record=why.exp.test,\"%{i} is not one of %{d}'s designated mail servers.\"",
        "txt-record=other.test,\"some verification token\"",
        "txt-record=other.test,\"v=spf1 include:redir.test ~all\"",
        "txt-record=upper.test,\"v=spf1 exists:%{L}.%{O} -all\"",
        "host-record=john-smith.upper.test,127.0.0.3",
    ];

    private static readonly string[] Domains =
    [
        "ip4.test", "ip6.test", "a.test", "acidr.test", "mx.test", "mxcidr.test", "inc.test", "incsoft.test",
        "redir.test", "exists.test", "macro.test", "ptr.test", "neutral.test", "none.test", "nx.test",
        "multi.test", "syntax.test", "void.test", "loop.test", "split.test", "exp.test", "other.test", "upper.test",
    ];

    private static readonly string[] Addresses =
    [
        "192.0.2.10", "192.0.2.77", "192.0.2.99", "192.0.2.200", "198.51.100.7", "198.51.100.250",
        "203.0.113.5", "203.0.113.6", "2001:db8::10", "2001:db8:1::1", "2001:db8:2::6", "::ffff:192.0.2.10",
    ];

    [Fact]
    public async Task Parley_and_pyspf_agree_over_real_dns()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var dns = await DnsmasqPeer.StartAsync(Records, ["test", "in-addr.arpa", "ip6.arpa"], cts.Token);
        var resolver = new DnsClientResolver(new DnsOptions { Servers = [dns.Server], Timeout = TimeSpan.FromSeconds(2), Retries = 1 });
        var evaluator = new SpfEvaluator(resolver);

        var cases = (from domain in Domains from ip in Addresses select new PySpf.Case(ip, "john-smith@" + domain, Helo)).ToArray();
        var theirs = await PySpf.CheckAsync(dns.Port, cases, cts.Token);

        var mismatches = new List<string>();
        var verdicts = new Dictionary<string, int>();
        for (int i = 0; i < cases.Length; i++)
        {
            var ours = await evaluator.CheckMailFromAsync(IPAddress.Parse(cases[i].Ip), cases[i].Sender, Helo, cts.Token);
            var token = ours.Verdict.ToToken();
            verdicts[token] = verdicts.GetValueOrDefault(token) + 1;
            bool sameExplanation = ours.Explanation is null || ours.Explanation == theirs[i].Explanation;
            if (token != theirs[i].Result || !sameExplanation)
            {
                mismatches.Add($"{cases[i].Sender} from {cases[i].Ip}: parley {token} ({ours.Problem}; exp '{ours.Explanation}') vs pyspf {theirs[i].Result} ('{theirs[i].Explanation}')");
            }
        }

        output.WriteLine($"{cases.Length} checks; verdicts: {string.Join(", ", verdicts.OrderBy(v => v.Key).Select(v => $"{v.Key} {v.Value}"))}");
        foreach (var mismatch in mismatches)
        {
            output.WriteLine(mismatch);
        }

        Assert.Empty(mismatches);
        // The set must exercise every outcome the records were written for, or the comparison proves little.
        Assert.All(new[] { "pass", "fail", "softfail", "neutral", "none", "permerror" }, v => Assert.True(verdicts.ContainsKey(v), v));
    }
}
