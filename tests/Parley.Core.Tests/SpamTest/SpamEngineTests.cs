using System.Text;
using Parley.Core.SpamTest;
using Parley.Testing;

namespace Parley.Core.Tests.SpamTest;

/// <summary>Debian's spamd and rspamd, started once for these tests (rspamd compiles its rules for about 30 s).</summary>
public sealed class SpamEnginesFixture : IAsyncLifetime
{
    public DnsmasqPeer Dns { get; private set; } = null!;
    public SpamdPeer Spamd { get; private set; } = null!;
    public RspamdPeer Rspamd { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Dns = await DnsmasqPeer.StartAsync([]);
        var spamd = SpamdPeer.StartAsync();
        var rspamd = RspamdPeer.StartAsync(Dns.Server);
        Spamd = await spamd;
        Rspamd = await rspamd;
    }

    public async Task DisposeAsync()
    {
        await Spamd.DisposeAsync();
        await Rspamd.DisposeAsync();
        await Dns.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SpamEnginesCollection : ICollectionFixture<SpamEnginesFixture>
{
    public const string Name = "Spam engines";
}

/// <summary>
/// The optional engines: spamd's REPORT and rspamd's /checkv2 against the real daemons, their verdicts shown beside the
/// score and never in it, and an engine that is down is a note, not a failure.
/// </summary>
[Collection(SpamEnginesCollection.Name)]
public sealed class SpamEngineTests(SpamEnginesFixture engines)
{
    private static readonly byte[] Gtube = Encoding.ASCII.GetBytes(
        "From: Shop <news@shop.test>\r\nTo: a@b.test\r\nSubject: Test\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\nMessage-ID: <g@shop.test>\r\n\r\n" + ContentChecks.Gtube + "\r\n");

    private static TimeSpan Timeout => TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Spamd_reports_its_score_threshold_and_rule_hits()
    {
        var (host, port) = SpamEngines.HostPort(engines.Spamd.Endpoint, 783);
        var verdict = await new SpamdEngine(host, port, Timeout).CheckAsync(Gtube, default);

        Assert.Null(verdict.Note);
        Assert.True(verdict.Score >= 1000, $"{verdict.Score}");
        Assert.Equal(5.0, verdict.Threshold);
        var gtube = Assert.Single(verdict.Hits, h => h.Rule == "GTUBE");
        Assert.Equal(1000, gtube.Score);
        Assert.Contains("Generic Test for Unsolicited Bulk Email", gtube.Description);
    }

    [Fact]
    public async Task Rspamd_reports_its_score_threshold_and_symbols()
    {
        using var http = new HttpClient();
        var verdict = await new RspamdEngine(http, SpamEngines.CheckUrl(engines.Rspamd.Endpoint), Timeout).CheckAsync(Gtube, default);

        Assert.True(verdict.Score >= 15, $"{verdict.Score}: {verdict.Note}");
        Assert.NotNull(verdict.Threshold);
        Assert.Contains(verdict.Hits, h => h.Rule == "GTUBE");
        Assert.Equal("action: reject", verdict.Note);
    }

    [Fact]
    public async Task The_engines_appear_beside_the_score_and_never_change_it()
    {
        var message = new SpamMessage { Subject = "YOUR ORDER HAS SHIPPED" };
        var alone = await SpamMessages.ScoreAsync(message);
        var withEngines = await SpamMessages.ScoreAsync(message, checker: SpamMessages.Checker(configure: o =>
        {
            o.Spamd = engines.Spamd.Endpoint;
            o.Rspamd = engines.Rspamd.Endpoint;
        }));

        Assert.Equal(alone.Score, withEngines.Score);
        Assert.Equal(["spamd", "rspamd"], withEngines.Engines.Select(e => e.Engine));
        Assert.All(withEngines.Engines, e => Assert.NotNull(e.Score));
        Assert.Contains(withEngines.Engines[0].Hits, h => h.Rule == "SUBJ_ALL_CAPS");
        Assert.Contains("spamd:", SpamReportText.Format(withEngines));
    }

    [Fact]
    public async Task An_engine_that_is_down_is_a_note_and_the_report_is_complete()
    {
        var closed = FreePort.GetClosed();
        var message = new SpamMessage();
        var alone = await SpamMessages.ScoreAsync(message);
        var report = await SpamMessages.ScoreAsync(message, checker: SpamMessages.Checker(configure: o =>
        {
            o.Spamd = $"127.0.0.1:{closed}";
            o.Rspamd = $"127.0.0.1:{closed}";
            o.EngineTimeout = TimeSpan.FromSeconds(5);
        }));

        Assert.Equal(alone.Score, report.Score);
        Assert.All(report.Engines, e =>
        {
            Assert.Null(e.Score);
            Assert.Contains("did not answer", e.Note);
        });
        Assert.Null(report.Find("report.error"));
    }
}
