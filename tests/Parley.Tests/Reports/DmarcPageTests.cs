using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Domains;
using Parley.Core.Reports;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Reports;

/// <summary>The DMARC page of a domain that is widely forged: it lists the largest sources and says what it leaves out.</summary>
public sealed class DmarcPageTests
{
    [Fact]
    public async Task A_domain_with_more_sources_than_the_page_lists_shows_the_largest_and_counts_the_rest()
    {
        // DNS on loopback: the page looks up the largest sources' PTR and the domain's DMARC record (NXDOMAIN here).
        await using var dns = await DnsmasqPeer.StartAsync([], ["test", "arpa"]);
        await using var host = await ParleyHost.ServeAsync(serve => serve with { Dns = dns.Server });
        const int sources = DmarcPageModelShown + 50;
        long domainId;
        using (var scope = host.Services.CreateScope())
        {
            domainId = (await scope.ServiceProvider.GetRequiredService<SendingDomainService>().RegisterAsync("shop.test", CancellationToken.None)).Id;
            // Source i sent 1,000 + i messages, so the 50 smallest are sources 0 to 49: 50 × 1,000 + (0 + … + 49) messages.
            var results = await scope.ServiceProvider.GetRequiredService<ReportStore>()
                .ImportAsync(Report(sources), "forged.xml", ReportChannels.Api, CancellationToken.None);
            Assert.Equal(ReportImportStatus.Stored, Assert.Single(results).Status);
        }

        using var browser = new FormClient(host.BaseUrl);
        await browser.SignInAsync(ParleyHost.AdminEmail, ParleyHost.Password);
        var page = await (await browser.GetAsync($"/deliverability/{domainId}/dmarc")).Content.ReadAsStringAsync();
        Assert.Equal(DmarcPageModelShown, Rows(page));
        Assert.Contains("data-ip=\"192.0.2.249\"", page); // the largest
        Assert.DoesNotContain("data-ip=\"192.0.2.49\"", page); // among the smallest
        var total = Enumerable.Range(0, sources).Sum(i => 1000L + i);
        const long unlisted = 50 * 1000 + 49 * 50 / 2;
        Assert.Contains($"These are the 200 largest of {sources} sources.", Collapse(page));
        Assert.Contains($"The other 50 sent {unlisted:N0} messages ({100.0 * unlisted / total:0.#} % of the volume).", Collapse(page));

        var all = await (await browser.GetAsync($"/deliverability/{domainId}/dmarc?all=true")).Content.ReadAsStringAsync();
        Assert.Equal(sources, Rows(all));
        Assert.DoesNotContain("unlisted-sources", all);
    }

    private const int DmarcPageModelShown = Parley.Pages.Deliverability.DmarcPageModel.ShownSources;

    private static int Rows(string html) => Regex.Matches(html, "<tr class=\"source\"").Count;

    private static string Collapse(string html) => Regex.Replace(html, @"\s+", " ");

    private static byte[] Report(int sources)
    {
        var day = DateTimeOffset.UtcNow.Date.AddDays(-2);
        var begin = new DateTimeOffset(day, TimeSpan.Zero).ToUnixTimeSeconds();
        var xml = new StringBuilder($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <feedback><version>1.0</version>
            <report_metadata><org_name>receiver.test</org_name><email>dmarc@receiver.test</email><report_id>forged-1</report_id>
            <date_range><begin>{begin}</begin><end>{begin + 86399}</end></date_range></report_metadata>
            <policy_published><domain>shop.test</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><pct>100</pct></policy_published>
            """);
        for (var i = 0; i < sources; i++)
        {
            xml.Append($"""
                <record><row><source_ip>192.0.2.{i}</source_ip><count>{1000 + i}</count><policy_evaluated><disposition>none</disposition>
                <dkim>fail</dkim><spf>fail</spf></policy_evaluated></row><identifiers><header_from>shop.test</header_from></identifiers>
                <auth_results><spf><domain>forger.test</domain><result>fail</result></spf></auth_results></record>
                """);
        }

        return Encoding.UTF8.GetBytes(xml.Append("</feedback>").ToString());
    }
}
