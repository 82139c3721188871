using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Domains;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Core.Reports;
using Parley.Core.Settings;
using Parley.Core.Tests.Fixtures;
using Parley.Deliverability.Dns;
using Parley.Testing;

namespace Parley.Core.Tests.Reports;

/// <summary>
/// Reports come home: stored once per reporter and id, raw kept, reports for other domains kept and flagged; mail to the
/// reports address is taken through the reports inbox; the domain's overview gives each source its verdict against
/// Parley's own routes, and advice that moves the policy.
/// </summary>
public abstract class ReportsTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private const string Domain = "shop.test";
    private const string ParleyIp = "198.51.100.7";

    private readonly InMemoryDnsZone _dns = new InMemoryDnsZone()
        .AddTxt("_dmarc.shop.test", "v=DMARC1; p=none; rua=mailto:dmarc-reports@mail.parley.test")
        .AddTxt("_spf.relay.test", "v=spf1 ip4:203.0.113.0/24 -all")
        .AddPtr(DnsName.ReverseName(System.Net.IPAddress.Parse(ParleyIp)), "parley.shop.test");

    private ServiceProvider? _services;

    private ServiceProvider Services => _services ??= Env.Build(Env.Transport, "node-r", [], configure: s => s.AddSingleton<IDnsResolver>(_dns));

    private async Task<T> With<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private async Task SetUpAsync()
    {
        await Env.SetAliasDomainAsync();
        await Env.With<SendingDomainService, SendingDomain>(d => d.RegisterAsync(Domain, default));
        await Env.With<SettingsService, HostSettings>(s => s.SetHostSettingsAsync("parley.shop.test", ParleyIp, default));
    }

    private Task<IReadOnlyList<ReportImport>> ImportAsync(string xml, string name = "report.xml") =>
        With<ReportStore, IReadOnlyList<ReportImport>>(s => s.ImportAsync(Encoding.UTF8.GetBytes(xml), name, ReportChannels.Api, default));

    private static string Report(string id, string domain = Domain, string rows = "", long begin = 1796083200) =>
        $"""
        <?xml version="1.0"?>
        <feedback><version>1.0</version>
          <report_metadata><org_name>receiver.test</org_name><email>dmarc@receiver.test</email><report_id>{id}</report_id>
            <date_range><begin>{begin}</begin><end>{begin + 86399}</end></date_range></report_metadata>
          <policy_published><domain>{domain}</domain><p>none</p></policy_published>
          {rows}
        </feedback>
        """;

    private static string Row(string ip, int count, string dkimAligned, string spfAligned, string dkimAuth, string spfAuth, string spfDomain = Domain,
        string reason = "") =>
        $"""
        <record><row><source_ip>{ip}</source_ip><count>{count}</count>
          <policy_evaluated><disposition>none</disposition><dkim>{dkimAligned}</dkim><spf>{spfAligned}</spf>{reason}</policy_evaluated></row>
          <identifiers><header_from>{Domain}</header_from><envelope_from>{spfDomain}</envelope_from></identifiers>
          <auth_results><dkim><domain>{Domain}</domain><selector>p2026</selector><result>{dkimAuth}</result></dkim><spf><domain>{spfDomain}</domain><result>{spfAuth}</result></spf></auth_results></record>
        """;

    [Fact]
    public async Task The_same_report_twice_is_stored_once_and_the_raw_input_is_kept()
    {
        await SetUpAsync();
        var xml = Report("same-1", rows: Row(ParleyIp, 3, "pass", "pass", "pass", "pass"));
        var first = Assert.Single(await ImportAsync(xml));
        Assert.Equal(ReportImportStatus.Stored, first.Status);
        var second = Assert.Single(await ImportAsync(xml, "copy.xml"));
        Assert.Equal(ReportImportStatus.Duplicate, second.Status);
        Assert.Equal(first.ReportId, second.ReportId);

        var stored = await Env.Db(db => db.Reports.AsNoTracking().SingleAsync());
        Assert.True(stored.IsOurs);
        Assert.Equal(3, stored.Volume);
        var raw = await Env.Db(db => db.RawMimes.AsNoTracking().SingleAsync(r => r.Id == stored.RawMimeId));
        Assert.Equal(xml, Encoding.UTF8.GetString(raw.Content));
        Assert.Equal(1, await Env.Db(db => db.Set<DmarcReportRow>().CountAsync()));
    }

    /// <summary>An RFC 6591 failure report about shop.test, as a receiver mails it to the ruf= address.</summary>
    private static string FailureReport() =>
        "From: dmarc@receiver.test\r\nTo: dmarc-reports@mail.parley.test\r\nSubject: FW: Payment\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\r\n\r\n" +
        "--b\r\nContent-Type: text/plain\r\n\r\nAn authentication failure report.\r\n" +
        "--b\r\nContent-Type: message/feedback-report\r\n\r\n" +
        "Feedback-Type: auth-failure\r\nUser-Agent: Receiver/1.0\r\nVersion: 1\r\nSource-IP: 192.0.2.66\r\n" +
        "Reported-Domain: shop.test\r\nAuth-Failure: dmarc\r\nDelivery-Result: reject\r\nArrival-Date: Thu, 03 Dec 2026 10:00:00 +0000\r\n\r\n" +
        "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: billing@shop.test\r\nMessage-ID: <forged-1@elsewhere.test>\r\nSubject: Payment\r\n\r\n" +
        "--b--\r\n";

    [Fact]
    public async Task A_failure_report_is_read_by_the_feedback_parser_and_stored_once()
    {
        await SetUpAsync();
        var first = Assert.Single(await ImportAsync(FailureReport(), "failure.eml"));
        Assert.Equal((ReportImportStatus.Stored, ReceivedReportKind.DmarcFailure), (first.Status, first.Kind));
        var second = Assert.Single(await ImportAsync(FailureReport(), "again.eml"));
        Assert.Equal(ReportImportStatus.Duplicate, second.Status);

        var stored = await Env.Db(db => db.Reports.AsNoTracking().SingleAsync());
        Assert.Equal((ReceivedReportKind.DmarcFailure, "shop.test", true, "Receiver/1.0"), (stored.Kind, stored.Domain, stored.IsOurs, stored.OrgName));
        Assert.Contains("dmarc failed for mail from 192.0.2.66, delivery result reject", stored.Problem);
        // A failure report is about one message: it is never counted in the aggregate figures.
        Assert.Equal(0, (await OverviewAsync()).Totals.Messages);
    }

    [Fact]
    public async Task A_refused_document_is_kept_raw_with_its_reason()
    {
        await SetUpAsync();
        var import = Assert.Single(await ImportAsync("<feedback><report_metadata></report_metadata></feedback>", "broken.xml"));
        Assert.Equal(ReportImportStatus.Refused, import.Status);
        var stored = await Env.Db(db => db.Reports.AsNoTracking().SingleAsync());
        Assert.Equal(ReceivedReportKind.Refused, stored.Kind);
        Assert.Contains("no <org_name>", stored.Problem);
        Assert.NotNull(stored.RawMimeId);
    }

    [Fact]
    public async Task A_report_for_a_domain_that_is_not_ours_is_kept_flagged_and_never_counted()
    {
        await SetUpAsync();
        await ImportAsync(Report("ours-1", rows: Row(ParleyIp, 4, "pass", "pass", "pass", "pass")));
        var other = Assert.Single(await ImportAsync(Report("other-1", domain: "elsewhere.test", rows: Row("192.0.2.99", 1000, "fail", "fail", "fail", "fail", "elsewhere.test"))));
        Assert.Contains("not one of Parley's sending domains", other.Description);
        Assert.False((await Env.Db(db => db.Reports.AsNoTracking().SingleAsync(r => r.ReportId == "other-1"))).IsOurs);

        var overview = await OverviewAsync();
        Assert.Equal(4, overview.Totals.Messages);
        Assert.DoesNotContain(overview.Sources, s => s.Ip == "192.0.2.99");
    }

    [Fact]
    public async Task Each_source_gets_its_verdict()
    {
        await SetUpAsync();
        await Env.Db(async db =>
        {
            db.OutgoingServers.Add(new OutgoingServer { Name = "Relay", Host = "smtp.relay.test", Port = 587, SpfInclude = "_spf.relay.test", CreatedAt = TestEnv.Start });
            return await db.SaveChangesAsync();
        });
        await ImportAsync(Report("verdicts-1", rows: string.Concat(
            Row("203.0.113.40", 50, "pass", "pass", "pass", "pass"),                                  // the relay, by its SPF include
            Row("192.0.2.20", 20, "pass", "fail", "pass", "pass", "bounces.esp.test"),              // an ESP signing for us
            Row("192.0.2.30", 7, "pass", "fail", "pass", "fail"),                                     // forwarded unchanged: our SPF fails, DKIM holds
            Row("192.0.2.35", 3, "fail", "fail", "fail", "fail", reason: "<reason><type>mailing_list</type></reason>"),
            Row("192.0.2.40", 15, "fail", "fail", "pass", "pass", "old-newsletter.test"),             // DKIM/SPF pass, unaligned
            Row("192.0.2.50", 11, "fail", "fail", "fail", "fail", "forger.test"))));

        var overview = await OverviewAsync();
        Assert.Equal(SourceVerdict.ParleyRoute, Source(overview, "203.0.113.40").Verdict);
        Assert.Contains("relay \"Relay\"", Source(overview, "203.0.113.40").Why);
        Assert.Equal(SourceVerdict.AuthorisedSender, Source(overview, "192.0.2.20").Verdict);
        Assert.Equal(SourceVerdict.KnownForwarder, Source(overview, "192.0.2.30").Verdict);
        Assert.Equal(SourceVerdict.KnownForwarder, Source(overview, "192.0.2.35").Verdict);
        Assert.Equal(SourceVerdict.FailingLegitimate, Source(overview, "192.0.2.40").Verdict);
        Assert.Equal(SourceVerdict.SuspectedForgery, Source(overview, "192.0.2.50").Verdict);
        Assert.Equal(106, overview.Totals.Messages);
        Assert.Equal(77, overview.Totals.Compliant);
        Assert.Equal(72.6, overview.Totals.CompliancePercent);
        Assert.Equal(["shop.test/p2026"], Source(overview, "203.0.113.40").Selectors);
        // The unaligned sender sends real volume: the reverse warning, not a tighter policy.
        var advice = Assert.Single(overview.Advice);
        Assert.Equal("warn", advice.Kind);
        Assert.Contains("192.0.2.40", advice.Text);
    }

    [Fact]
    public async Task Direct_delivery_is_recognised_by_this_servers_ip_and_clean_reports_advise_the_next_policy()
    {
        await SetUpAsync();
        await ImportAsync(Report("clean-1", rows: Row(ParleyIp, 40, "pass", "pass", "pass", "pass") + Row("192.0.2.50", 2, "fail", "fail", "fail", "fail", "forger.test")));
        await ImportAsync(Report("clean-2", begin: 1796169600, rows: Row(ParleyIp, 60, "pass", "pass", "pass", "pass")));

        var overview = await OverviewAsync();
        var own = Source(overview, ParleyIp);
        Assert.Equal(SourceVerdict.ParleyRoute, own.Verdict);
        Assert.Contains("direct delivery from this server", own.Why);
        Assert.Equal("parley.shop.test", own.Ptr);
        Assert.Equal([new DmarcDay(new DateOnly(2026, 12, 1), 42, 40), new DmarcDay(new DateOnly(2026, 12, 2), 60, 60)], overview.Daily);
        var advice = Assert.Single(overview.Advice);
        Assert.Equal("tighten", advice.Kind);
        Assert.Equal("_dmarc.shop.test", advice.RecordName);
        Assert.Equal("v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@mail.parley.test", advice.Record);
        Assert.Contains("100 % of your legitimate volume", advice.Text);
    }

    [Fact]
    public async Task A_failure_report_mailed_to_the_reports_address_passes_the_complaint_step_and_is_stored()
    {
        await SetUpAsync();
        var id = await ReceiveReportAsync(Encoding.ASCII.GetBytes(FailureReport()));
        Assert.Equal(1, await With<InboundRouter, int>(r => r.RoutePendingAsync(10, default)));

        var inbound = await Env.Db(db => db.Inbound.AsNoTracking().SingleAsync(i => i.Id == id));
        Assert.Equal(InboundStatus.Routed, inbound.Status);
        Assert.StartsWith("Reports inbox: 1 of 1 report(s) stored.", inbound.Route);
        var report = await Env.Db(db => db.Reports.AsNoTracking().SingleAsync());
        Assert.Equal((ReceivedReportKind.DmarcFailure, ReportChannels.Mail, id), (report.Kind, report.Channel, report.InboundMessageId));
    }

    [Fact]
    public async Task Mail_to_the_reports_address_is_taken_by_the_reports_inbox()
    {
        await SetUpAsync();
        var zip = ZipOf("receiver.test!shop.test!1796083200!1796169599.xml", Report("mailed-1", rows: Row(ParleyIp, 5, "pass", "pass", "pass", "pass")));
        var mail = "From: DMARC <dmarc@receiver.test>\r\nTo: dmarc-reports@mail.parley.test\r\nSubject: Report domain: shop.test Submitter: receiver.test Report-ID: mailed-1\r\n" +
            "Date: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <r1@receiver.test>\r\nMIME-Version: 1.0\r\nContent-Type: application/zip; name=\"r.zip\"\r\n" +
            "Content-Disposition: attachment; filename=\"r.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Convert.ToBase64String(zip, Base64FormattingOptions.InsertLineBreaks) + "\r\n";
        var id = await ReceiveReportAsync(Encoding.ASCII.GetBytes(mail));
        Assert.Equal(1, await With<InboundRouter, int>(r => r.RoutePendingAsync(10, default)));

        var inbound = await Env.Db(db => db.Inbound.AsNoTracking().SingleAsync(i => i.Id == id));
        Assert.Equal(InboundStatus.Routed, inbound.Status);
        Assert.StartsWith("Reports inbox: 1 of 1 report(s) stored.", inbound.Route);
        Assert.Null(inbound.ChatterMessageId);
        var report = await Env.Db(db => db.Reports.AsNoTracking().SingleAsync());
        Assert.Equal((ReceivedReportKind.DmarcAggregate, "mailed-1", ReportChannels.Mail), (report.Kind, report.ReportId, report.Channel));
        Assert.Equal(inbound.RawMimeId, report.RawMimeId);
        Assert.Equal(id, report.InboundMessageId);
    }

    [Fact]
    public async Task The_reports_addresses_exist_on_the_alias_domain_even_when_unknown_addresses_are_refused()
    {
        await SetUpAsync();
        await Env.With<InboundSettingsService, InboundSettings>(s => s.SetAsync(new InboundSettings(Catchall: CatchallPolicy.Reject), default));
        var acceptance = Services.GetRequiredService<RecipientAcceptance>();
        Assert.Equal(RecipientVerdict.Accepted, await acceptance.CheckAsync("dmarc-reports@mail.parley.test", default));
        Assert.Equal(RecipientVerdict.Accepted, await acceptance.CheckAsync("tls-reports@mail.parley.test", default));
        Assert.Equal(RecipientVerdict.Unknown, await acceptance.CheckAsync("nobody@mail.parley.test", default));
        Assert.True(AliasDomainAddresses.IsReserved("dmarc-reports"));
    }

    /// <summary>Receives a message from the receiver's reporter, sent to Parley's reports address over SMTP.</summary>
    private Task<long> ReceiveReportAsync(byte[] raw) =>
        Env.ReceiveAsync(raw, "dmarc@receiver.test", ["dmarc-reports@mail.parley.test"], helo: "mx.receiver.test", clientAddress: "192.0.2.1");

    private Task<DmarcOverview> OverviewAsync() =>
        With<DmarcOverviewReader, DmarcOverview>(r => r.ReadAsync(Domain, new DateOnly(2026, 11, 20), new DateOnly(2026, 12, 3), default));

    private static DmarcSource Source(DmarcOverview overview, string ip) => Assert.Single(overview.Sources, s => s.Ip == ip);

    private static byte[] ZipOf(string name, string content)
    {
        using var output = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(Encoding.UTF8.GetBytes(content));
        }

        return output.ToArray();
    }
}

public sealed class ReportsSqliteTests() : ReportsTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class ReportsPostgresTests(PostgresFixture pg) : ReportsTests(new PostgresDatabaseFactory(pg));
