using System.Text.Json;
using Parley.Core.Domains;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// A Parley installation that sends as shop.test through a relay (SPF include spf.relay.test), with
/// replies on mail.shop.test, kept in one SQLite file so that several Parley processes in a row can
/// use it, each with its own DNS server: the DKIM keys exist only after the domain is registered, and
/// the zone that publishes them is written afterwards.
/// </summary>
internal sealed class DoctorScenario : IAsyncDisposable
{
    public const string Domain = "shop.test";
    public const string Alias = "mail.shop.test";
    // A leading underscore (_spf.relay.test, the usual form) is refused by the outgoing-server form today; see the report.
    public const string RelayInclude = "spf.relay.test";

    private DoctorScenario(string directory, IReadOnlyList<SuggestedRecord> records)
    {
        Directory_ = directory;
        Records = records;
    }

    private string Directory_ { get; }

    public string Database => Path.Combine(Directory_, "parley.db");

    /// <summary>What GET /api/v1/domains/shop.test/dns-records suggests.</summary>
    public IReadOnlyList<SuggestedRecord> Records { get; }

    public SuggestedRecord Spf => Records.Single(r => r.Type == "TXT" && r.Name == Alias);

    public SuggestedRecord Dmarc => Records.Single(r => r.Name == "_dmarc." + Domain);

    public SuggestedRecord RsaDkim => Records.Single(r => r.Name.EndsWith("._domainkey." + Domain, StringComparison.Ordinal) && r.Value.Contains("k=rsa"));

    public SuggestedRecord Ed25519Dkim => Records.Single(r => r.Name.EndsWith("._domainkey." + Domain, StringComparison.Ordinal) && r.Value.Contains("k=ed25519"));

    /// <param name="relayPort">Where the relay listens (an smtp-sink), for the admins' notification emails.</param>
    public static async Task<DoctorScenario> CreateAsync(int relayPort)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("parley-doctor-").FullName;
        var database = Path.Combine(directory, "parley.db");
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(Alias, o => o with { Database = database });
        await parley.PostAsync("/api/v1/outgoing-servers", new { name = "Company relay", host = "127.0.0.1", port = relayPort, security = "none", spfInclude = RelayInclude });
        await parley.PostAsync("/api/v1/domains", new { name = Domain });
        var records = (await parley.GetAsync($"/api/v1/domains/{Domain}/dns-records")).EnumerateArray()
            .Select(r => new SuggestedRecord(r.GetProperty("type").GetString()!, r.GetProperty("name").GetString()!, r.GetProperty("value").GetString()!))
            .ToList();
        return new DoctorScenario(directory, records);
    }

    /// <summary>Everything published as Parley suggests.</summary>
    public IEnumerable<string> GoodZone() =>
    [
        .. Common(),
        Txt(Alias, Spf.Value),
        Txt(RsaDkim.Name, RsaDkim.Value),
    ];

    /// <summary>No SPF record on the alias domain, and the RSA selector publishes some other key.</summary>
    public IEnumerable<string> BrokenZone() =>
    [
        .. Common(),
        Txt(RsaDkim.Name, "v=DKIM1; k=rsa; p=" + DkimKeyGenerator.Generate(DkimAlgorithm.RsaSha256).PublicKeyBase64),
    ];

    private IEnumerable<string> Common() =>
    [
        "host-record=shop.test,192.0.2.10",
        // The From domain's own SPF: Parley's mail does not use it (the envelope is on the alias domain), but the
        // doctor fails a From domain without one, and /dns-records does not suggest it (see the report).
        Txt(Domain, "v=spf1 include:" + RelayInclude + " ~all"),
        "mx-host=mail.shop.test,mx.shop.test,10",
        "host-record=mx.shop.test,192.0.2.25",
        Txt(RelayInclude, "v=spf1 ip4:192.0.2.0/24 -all"),
        Txt(Ed25519Dkim.Name, Ed25519Dkim.Value),
        Txt(Dmarc.Name, Dmarc.Value),
    ];

    /// <summary>A dnsmasq TXT line; values over 255 characters go in as several strings, as DNS requires.</summary>
    public static string Txt(string name, string value) =>
        $"txt-record={name}," + string.Join(',', value.Chunk(255).Select(c => "\"" + new string(c) + "\""));

    /// <summary>A Parley process on the scenario's database, asking <paramref name="dns"/>.</summary>
    public Task<ParleyHost> StartAsync(DnsmasqPeer dns) =>
        ParleyHost.ServeAsync(o => o with { Database = Database, Dns = dns.Server }, seedAdmin: false);

    public static JsonElement Finding(JsonElement report, string id) =>
        report.GetProperty("findings").EnumerateArray().FirstOrDefault(f => f.GetProperty("id").GetString() == id);

    public static string[] Severities(JsonElement report, string severity) =>
        report.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("severity").GetString() == severity)
            .Select(f => $"{f.GetProperty("id").GetString()}: {f.GetProperty("title").GetString()} — {f.GetProperty("detail").GetString()}").ToArray();

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory_, recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

internal sealed record SuggestedRecord(string Type, string Name, string Value);
