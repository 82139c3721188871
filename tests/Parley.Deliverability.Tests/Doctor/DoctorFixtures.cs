using System.Net;
using System.Security.Cryptography;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;

namespace Parley.Deliverability.Tests.Doctor;

/// <summary>
/// A resolver that answers after a fixed delay, like a remote DNS server would; counts the queries that reached it
/// and how many rounds they took: a query started after another one answered is a round later than it. Rounds, not
/// wall-clock time, say whether independent look-ups ran side by side (a busy machine stretches time, not rounds).
/// </summary>
public sealed class DelayedResolver(IDnsResolver inner, TimeSpan delay) : IDnsResolver
{
    private int _queries;
    private int _answeredRound;
    private int _rounds;

    public int Queries => Volatile.Read(ref _queries);

    /// <summary>The longest chain of queries where each started only after the one before it was answered.</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queries);
        int round = Volatile.Read(ref _answeredRound) + 1;
        InterlockedMax(ref _rounds, round);
        await Task.Delay(delay, cancellationToken);
        var answer = await inner.QueryAsync(name, type, cancellationToken);
        InterlockedMax(ref _answeredRound, round);
        return answer;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}

/// <summary>A domain set up the way Parley wants it, and the setup that describes Parley's side.</summary>
public static class DoctorFixtures
{
    public static readonly IPAddress SendingIp = IPAddress.Parse("203.0.113.10");

    public static string PublicKey { get; } = CreateKey();

    private static string CreateKey()
    {
        using var rsa = RSA.Create(2048);
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    public static SendingSetup Setup() => new()
    {
        Domain = "example.test",
        Routes = [SendingRoute.Direct(SendingIp, "mail.example.test")],
        DkimSelectors = [new DkimSelectorSetup("parley", PublicKey)],
        BounceDomain = "example.test",
        AliasDomain = "reply.example.test",
        ReceivingHosts = ["mx.parley.test"],
    };

    public static DoctorOptions Options() => new() { DnsblZones = ["bl.test", "bl2.test"] };

    /// <summary>Everything right: SPF with an include, 2048-bit DKIM split in two strings, DMARC reject, MX, FCrDNS, MTA-STS, TLS-RPT, BIMI.</summary>
    public static InMemoryDnsZone HealthyZone()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", "v=spf1 ip4:203.0.113.10 include:_spf.relay.test ~all")
            .AddTxt("example.test", "google-site-verification=abc")
            .AddTxt("_spf.relay.test", "v=spf1 ip4:198.51.100.0/24 -all")
            .AddTxt("parley._domainkey.example.test", TxtStrings.Split(DkimKeys.Record(PublicKey)).ToArray())
            .AddTxt("_dmarc.example.test", "v=DMARC1; p=reject; rua=mailto:dmarc@example.test")
            .AddMx("reply.example.test", 10, "mx.parley.test")
            .AddA("mx.parley.test", "203.0.113.20")
            .AddPtr("10.113.0.203.in-addr.arpa", "mail.example.test")
            .AddA("mail.example.test", "203.0.113.10")
            .AddTxt("_mta-sts.example.test", "v=STSv1; id=20261101")
            .AddTxt("_smtp._tls.example.test", "v=TLSRPTv1; rua=mailto:tls@example.test")
            .AddTxt("default._bimi.example.test", "v=BIMI1; l=https://example.test/logo.svg")
            .AddName("bl.test")
            .AddName("bl2.test");
        zone.Authenticated = true;
        return zone;
    }
}
