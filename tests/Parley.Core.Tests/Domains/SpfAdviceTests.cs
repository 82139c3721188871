using Parley.Core.Doctor;
using Parley.Core.Domains;
using Parley.Core.Outbox;
using Parley.Core.Settings;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Domains;

/// <summary>
/// The SPF record Parley suggests, and the routes its doctor checks, never name a private or loopback address: the
/// internet never sees one. A relay on such an address sends out from this server's public address (Settings), or
/// its provider publishes an include.
/// </summary>
public abstract class SpfAdviceTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private const string Domain = "shop.test";

    private async Task<string> SuggestedSpfAsync()
    {
        await Env.With<SendingDomainService, SendingDomain>(d => d.RegisterAsync(Domain, default));
        var records = await Env.With<SendingDomainService, List<DnsRecordSuggestion>>(d => d.RecordsAsync(Domain, default));
        var spf = Assert.Single(records, r => r.Value.StartsWith("v=spf1", StringComparison.Ordinal));
        return spf.Value + " | " + spf.Purpose;
    }

    private Task AddRelayAsync(string host, string? include = null) => Env.Db(db =>
    {
        db.OutgoingServers.Add(new OutgoingServer { Name = "Office relay", Host = host, Port = 25, SpfInclude = include, CreatedAt = TestEnv.Start });
        return db.SaveChangesAsync();
    });

    private Task SetPublicIpAsync(string? ip) => Env.With<SettingsService, HostSettings>(s => s.SetHostSettingsAsync("mx.shop.test", ip, default));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.1.5")]
    [InlineData("::1")]
    [InlineData("fd00::25")]
    public async Task A_relay_on_a_private_address_is_advised_as_the_public_address_from_settings(string relay)
    {
        await Env.SetAliasDomainAsync("mail.shop.test");
        await SetPublicIpAsync("203.0.113.7");
        await AddRelayAsync(relay);

        var spf = await SuggestedSpfAsync();
        Assert.StartsWith("v=spf1 ip4:203.0.113.7 ~all | ", spf);
        Assert.DoesNotContain(relay, spf.Split(" | ")[0]);
        Assert.Contains($"Office relay\" is on a private address ({relay})", spf);

        var (setup, _) = await Env.With<DoctorSetupBuilder, DoctorSetup>(async b => await b.BuildAsync(await Env.With<SendingDomainService, SendingDomain>(d => d.GetAsync(Domain, default)), default));
        var route = Assert.Single(setup.Routes);
        Assert.Equal("203.0.113.7", route.Ip?.ToString());
    }

    [Fact]
    public async Task Without_a_public_address_the_advice_asks_for_it_and_names_no_private_range()
    {
        await Env.SetAliasDomainAsync("mail.shop.test");
        await AddRelayAsync("127.0.0.1");

        var spf = await SuggestedSpfAsync();
        Assert.DoesNotContain("127.0.0.1", spf.Split(" | ")[0]);
        Assert.StartsWith("v=spf1 ip4:<this server's public IP> ~all", spf);
        Assert.Contains("Settings", spf);
        Assert.Contains("SPF include", spf);
    }

    [Fact]
    public async Task A_private_relay_with_a_published_include_is_advised_as_that_include()
    {
        await Env.SetAliasDomainAsync("mail.shop.test");
        await SetPublicIpAsync("203.0.113.7");
        await AddRelayAsync("10.1.2.3", "_spf.provider.test");

        Assert.StartsWith("v=spf1 include:_spf.provider.test ~all", await SuggestedSpfAsync());
    }

    [Fact]
    public async Task A_private_public_address_in_settings_is_never_advised()
    {
        await Env.SetAliasDomainAsync("mail.shop.test");
        await SetPublicIpAsync("192.168.1.20");

        var spf = await SuggestedSpfAsync();
        Assert.StartsWith("v=spf1 ip4:<this server's public IP> ~all", spf);
        Assert.Contains("192.168.1.20 is a private address", spf);
        var (setup, notes) = await Env.With<DoctorSetupBuilder, DoctorSetup>(async b => await b.BuildAsync(await Env.With<SendingDomainService, SendingDomain>(d => d.GetAsync(Domain, default)), default));
        Assert.Empty(setup.Routes);
        Assert.Contains(notes, n => n.Id == "setup.private-public-ip");
    }
}

public sealed class SpfAdviceSqliteTests() : SpfAdviceTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class SpfAdvicePostgresTests(PostgresFixture pg) : SpfAdviceTests(new PostgresDatabaseFactory(pg));
