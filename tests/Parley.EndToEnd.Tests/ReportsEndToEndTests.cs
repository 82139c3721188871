using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Reports come home over the real ways: swaks hands a zipped aggregate report, attached to an email, to the reports
/// address on the real listener, and the domain's DMARC page shows Parley's own route recognised; a TLS report comes by
/// POST /api/v1/reports. DNS is a dnsmasq on loopback (the published DMARC record).
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class ReportsEndToEndTests(BrowserFixture browser)
{
    private const string Domain = "shop.test";
    private const string Alias = "mail.shop.test";
    private const string PublicIp = "203.0.113.25";

    private static string AggregateReport(string id) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <feedback>
          <version>1.0</version>
          <report_metadata><org_name>receiver.test</org_name><email>noreply-dmarc@receiver.test</email><report_id>{id}</report_id>
            <date_range><begin>{Begin}</begin><end>{Begin + 86399}</end></date_range></report_metadata>
          <policy_published><domain>{Domain}</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct></policy_published>
          <record><row><source_ip>{PublicIp}</source_ip><count>120</count>
              <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>
            <identifiers><header_from>{Domain}</header_from><envelope_from>{Alias}</envelope_from></identifiers>
            <auth_results><dkim><domain>{Domain}</domain><selector>p2026</selector><result>pass</result></dkim><spf><domain>{Alias}</domain><result>pass</result></spf></auth_results></record>
          <record><row><source_ip>192.0.2.66</source_ip><count>9</count>
              <policy_evaluated><disposition>none</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>
            <identifiers><header_from>{Domain}</header_from><envelope_from>forger.test</envelope_from></identifiers>
            <auth_results><spf><domain>forger.test</domain><result>fail</result></spf></auth_results></record>
        </feedback>
        """;

    /// <summary>Yesterday (UTC midnight), so the report falls in the page's default 30 days.</summary>
    private static long Begin => new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1), TimeSpan.Zero).ToUnixTimeSeconds();

    private static string TlsReport(string id) =>
        $$"""
        {"organization-name": "Sender Inc.", "report-id": "{{id}}", "contact-info": "tls@sender.test",
         "date-range": {"start-datetime": "{{DateTime.UtcNow.Date.AddDays(-1):yyyy-MM-dd}}T00:00:00Z", "end-datetime": "{{DateTime.UtcNow.Date.AddDays(-1):yyyy-MM-dd}}T23:59:59Z"},
         "policies": [{"policy": {"policy-type": "sts", "policy-domain": "{{Domain}}", "mx-host": ["mx.shop.test"]},
           "summary": {"total-successful-session-count": 40, "total-failure-session-count": 6},
           "failure-details": [{"result-type": "certificate-expired", "receiving-mx-hostname": "mx.shop.test", "failed-session-count": 6}]}]}
        """;

    [Fact]
    public async Task A_zipped_report_mailed_to_the_reports_address_shows_on_the_domain_page_with_parleys_route()
    {
        await using var dns = await DnsmasqPeer.StartAsync(
            [DoctorScenario.Txt("_dmarc." + Domain, $"v=DMARC1; p=none; rua=mailto:dmarc-reports@{Alias}")], ["test"]);
        await using var parley = await ParleyHost.ServeAsync(o => o with { Dns = dns.Server });
        await parley.PutAsync("/api/v1/settings/alias-domain", new { domain = Alias });
        await parley.PutAsync("/api/v1/settings/host", new { hostname = "parley.shop.test", publicIp = PublicIp });
        var domainId = (await parley.PostAsync("/api/v1/domains", new { name = Domain })).GetProperty("id").GetInt64();

        var folder = Directory.CreateTempSubdirectory("parley-reports-").FullName;
        try
        {
            var zip = Path.Combine(folder, $"receiver.test!{Domain}!{Begin}!{Begin + 86399}.zip");
            await File.WriteAllBytesAsync(zip, Zip($"receiver.test!{Domain}!{Begin}!{Begin + 86399}.xml", AggregateReport("e2e-mailed-1")));
            var sent = await Swaks.SendAsync(new SwaksOptions
            {
                Port = parley.SmtpPort,
                From = "noreply-dmarc@receiver.test",
                To = [$"dmarc-reports@{Alias}"],
                Helo = "mx.receiver.test",
                Headers = [$"Subject: Report domain: {Domain} Submitter: receiver.test Report-ID: e2e-mailed-1"],
                ExtraArguments = ["--attach-type", "application/zip", "--attach", zip],
            });
            Assert.True(sent.ExitCode == 0, sent.Transcript);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var overview = await Eventually.UntilAsync(
            async () => await parley.GetAsync($"/api/v1/domains/{Domain}/dmarc"),
            o => o.GetProperty("totals").GetProperty("messages").GetInt64() == 129, TimeSpan.FromSeconds(30), "the mailed report is routed and counted");
        var sources = overview.GetProperty("sources").EnumerateArray().ToList();
        var own = sources.Single(s => s.GetProperty("ip").GetString() == PublicIp);
        Assert.Equal("parley-route", own.GetProperty("verdict").GetString());
        Assert.True(own.GetProperty("dkim").GetProperty("aligned").GetBoolean());
        Assert.Equal(["p2026"], own.GetProperty("dkim").GetProperty("selectors").EnumerateArray().Select(s => s.GetString()!.Split('/')[1]));
        Assert.Equal(["receiver.test"], own.GetProperty("reporters").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("suspected-forgery", sources.Single(s => s.GetProperty("ip").GetString() == "192.0.2.66").GetProperty("verdict").GetString());
        Assert.Equal(93.0, overview.GetProperty("totals").GetProperty("compliance").GetDouble());
        var advice = overview.GetProperty("advice").EnumerateArray().Single();
        Assert.Equal("tighten", advice.GetProperty("kind").GetString());
        Assert.Equal($"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@{Alias}", advice.GetProperty("record").GetString());

        // A TLS report by the API, as a receiver's reporting job would post it.
        using var body = new ByteArrayContent(Encoding.UTF8.GetBytes(TlsReport("e2e-tls-1")));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/tlsrpt+json");
        using var posted = await parley.Api.PostAsync("/api/v1/reports?name=tls.json", body);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        using var again = await parley.Api.PostAsync("/api/v1/reports?name=tls.json", new ByteArrayContent(Encoding.UTF8.GetBytes(TlsReport("e2e-tls-1"))));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("\"duplicate\"", await again.Content.ReadAsStringAsync());

        var page = await browser.NewPageAsync(parley.BaseUrl, timeoutMs: 20_000);
        await using var _ = page.Context;
        await page.GotoAsync("/login");
        await BrowserFixture.SignInAsync(page);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await page.GotoAsync($"/deliverability/{domainId}");
        await page.Locator("a.dmarc-link").ClickAsync();
        await page.WaitForURLAsync($"**/deliverability/{domainId}/dmarc");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"DMARC reports of {Domain}");
        await Assertions.Expect(page.Locator("#compliance")).ToHaveTextAsync("93 %");
        var row = page.Locator($"tr.source[data-ip='{PublicIp}']");
        await Assertions.Expect(row.Locator(".source-verdict")).ToHaveTextAsync("Parley's own route");
        await Assertions.Expect(row.Locator(".route")).ToContainTextAsync($"direct delivery from this server ({PublicIp})");
        await Assertions.Expect(page.Locator("tr.source[data-ip='192.0.2.66'] .source-verdict")).ToHaveTextAsync("Suspected forgery");
        await Assertions.Expect(page.Locator(".advice-tighten .fix-value")).ToHaveTextAsync($"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@{Alias}");
        await Assertions.Expect(page.Locator(".volume-chart rect")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".tls-failures")).ToContainTextAsync("certificate-expired");
        await BrowserFixture.ScreenshotAsync(page, "reports-dmarc-page");

        // An upload through the page: a refused file says why, and loses nothing.
        var upload = Path.Combine(Path.GetTempPath(), $"parley-upload-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(upload, "<feedback><report_metadata/></feedback>");
        try
        {
            await page.Locator(".report-upload input[type=file]").SetInputFilesAsync(upload);
            await page.Locator(".report-upload button").ClickAsync();
            await Assertions.Expect(page.Locator(".import-refused")).ToContainTextAsync("no <org_name>");
        }
        finally
        {
            File.Delete(upload);
        }

        var reports = (await parley.GetAsync("/api/v1/reports")).EnumerateArray().ToList();
        Assert.Equal(["Refused", "TlsRpt", "DmarcAggregate"], reports.Select(r => r.GetProperty("kind").GetString()));
        Assert.Equal("mail", reports[2].GetProperty("channel").GetString());
    }

    private static byte[] Zip(string name, string content)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(Encoding.UTF8.GetBytes(content));
        }

        return output.ToArray();
    }
}
