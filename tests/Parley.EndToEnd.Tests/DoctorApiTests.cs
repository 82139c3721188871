using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// GET /api/v1/domains/{domain}/doctor through the real host against a real DNS server (dnsmasq on
/// loopback): a setup published exactly as Parley suggests passes; a broken one fails with fixes that
/// are the very records the Domains page suggests.
/// </summary>
public sealed class DoctorApiTests(ITestOutputHelper output)
{
    private static readonly string[] SeverityWords = ["pass", "info", "warn", "fail"];

    [Fact]
    public async Task A_setup_published_as_suggested_passes_and_a_broken_one_fails_with_the_suggested_records_as_fixes()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var scenario = await DoctorScenario.CreateAsync(sink.Port);

        await using (var dns = await DnsmasqPeer.StartAsync(scenario.GoodZone()))
        await using (var parley = await scenario.StartAsync(dns))
        {
            using var response = await parley.Api.GetAsync($"/api/v1/domains/{DoctorScenario.Domain}/doctor");
            var text = await response.Content.ReadAsStringAsync();
            output.WriteLine(text);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var report = JsonDocument.Parse(text).RootElement;
            AssertShape(report);
            Assert.Empty(DoctorScenario.Severities(report, "fail"));
            Assert.Equal("pass", DoctorScenario.Finding(report, "spf.authorized").GetProperty("severity").GetString());
            Assert.Equal(2, report.GetProperty("findings").EnumerateArray().Count(f => f.GetProperty("id").GetString() == "dkim.valid"));
            Assert.Equal("pass", DoctorScenario.Finding(report, "dmarc.aligned").GetProperty("severity").GetString());
            // The host name is not set: the report says what it could not check, and why.
            Assert.Equal("info", DoctorScenario.Finding(report, "setup.no-hostname").GetProperty("severity").GetString());

            using var unknown = await parley.Api.GetAsync("/api/v1/domains/unknown.test/doctor");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

            var last = await parley.GetAsync($"/api/v1/domains/{DoctorScenario.Domain}/doctor/last");
            Assert.Equal(report.GetProperty("checkedAt").GetString(), last.GetProperty("checkedAt").GetString());
        }

        await using (var dns = await DnsmasqPeer.StartAsync(scenario.BrokenZone()))
        await using (var parley = await scenario.StartAsync(dns))
        {
            var report = await parley.GetAsync($"/api/v1/domains/{DoctorScenario.Domain}/doctor");
            output.WriteLine(report.ToString());
            AssertShape(report);

            var spf = DoctorScenario.Finding(report, "spf.missing");
            Assert.Equal("fail", spf.GetProperty("severity").GetString());
            AssertFix(spf, scenario.Spf);

            var dkim = DoctorScenario.Finding(report, "dkim.key-mismatch");
            Assert.Equal("fail", dkim.GetProperty("severity").GetString());
            AssertFix(dkim, scenario.RsaDkim);
            // A 2048-bit key does not fit one TXT string: the fix says how to split it.
            Assert.True(dkim.GetProperty("fix").GetProperty("strings").GetArrayLength() > 1);
        }
    }

    [Fact]
    public async Task Without_a_relay_the_direct_route_is_checked_once_the_public_ip_is_set()
    {
        await using var dns = await DnsmasqPeer.StartAsync(
        [
            "host-record=direct.test,192.0.2.7",
            "mx-host=mail.direct.test,mx.direct.test,10",
            "host-record=mx.direct.test,192.0.2.7",
            "ptr-record=7.2.0.192.in-addr.arpa,mx.direct.test",
        ]);
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync("mail.direct.test", o => o with { Dns = dns.Server });
        await parley.PostAsync("/api/v1/domains", new { name = "direct.test" });

        var before = await parley.GetAsync("/api/v1/domains/direct.test/doctor");
        var note = DoctorScenario.Finding(before, "setup.no-public-ip");
        Assert.Equal("info", note.GetProperty("severity").GetString());
        Assert.Equal("Set this server's public IP in Settings to check SPF and PTR", note.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Undefined, DoctorScenario.Finding(before, "ptr.valid").ValueKind);

        await parley.PutAsync("/api/v1/settings/host", new { hostname = "mx.direct.test", publicIp = "192.0.2.7" });
        var after = await parley.GetAsync("/api/v1/domains/direct.test/doctor");
        output.WriteLine(after.ToString());
        Assert.Equal(JsonValueKind.Undefined, DoctorScenario.Finding(after, "setup.no-public-ip").ValueKind);
        Assert.Equal("pass", DoctorScenario.Finding(after, "ptr.valid").GetProperty("severity").GetString());
        Assert.Equal("pass", DoctorScenario.Finding(after, "mx.valid").GetProperty("severity").GetString());
        var suggestions = (await parley.GetAsync("/api/v1/domains/direct.test/dns-records")).EnumerateArray().ToList();
        var spf = suggestions.Single(r => r.GetProperty("name").GetString() == "mail.direct.test" && r.GetProperty("type").GetString() == "TXT");
        var missing = DoctorScenario.Finding(after, "spf.missing");
        Assert.Equal(spf.GetProperty("value").GetString(), missing.GetProperty("fix").GetProperty("value").GetString());
    }

    private static void AssertFix(JsonElement finding, SuggestedRecord suggested)
    {
        var fix = finding.GetProperty("fix");
        Assert.Equal(suggested.Type, fix.GetProperty("type").GetString());
        Assert.Equal(suggested.Name, fix.GetProperty("name").GetString());
        Assert.Equal(suggested.Value, fix.GetProperty("value").GetString());
    }

    private static void AssertShape(JsonElement report)
    {
        Assert.Equal(DoctorScenario.Domain, report.GetProperty("domain").GetString());
        var checkedAt = DateTimeOffset.Parse(report.GetProperty("checkedAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(checkedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        var findings = report.GetProperty("findings").EnumerateArray().ToList();
        Assert.NotEmpty(findings);
        foreach (var f in findings)
        {
            var id = f.GetProperty("id").GetString()!;
            Assert.Matches("^[a-z-]+\\.[a-z0-9.-]+$", id);
            Assert.Equal(id[..id.IndexOf('.')], f.GetProperty("area").GetString());
            Assert.Contains(f.GetProperty("severity").GetString(), SeverityWords);
            Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("detail").GetString()));
        }
    }
}
