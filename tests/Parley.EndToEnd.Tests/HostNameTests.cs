using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// One host name: Settings → Host name (else serve's --smtp-name, else this machine's name) is what the listener greets
/// with and has its certificate for, what Parley says in EHLO to relays and MX hosts (smtp-sink records it), and what
/// the doctor checks.
/// </summary>
public sealed class HostNameTests(ITestOutputHelper output)
{
    private const string Alias = "replies.parley.test";

    [Fact]
    public async Task The_host_name_set_in_Settings_is_the_greeting_the_certificate_and_the_EHLO_to_a_relay()
    {
        await using var relay = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyApi.ServeWithRelayAsync(relay, Alias, o => o with { SmtpName = "flag.parley.test" });

        await parley.PutAsync("/api/v1/settings/host", new { hostname = "mail.parley.test" });

        Assert.StartsWith("220 mail.parley.test ", await SmtpProbe.GreetingAsync(parley.SmtpPort));
        Assert.Equal("mail.parley.test", (await SmtpProbe.OfferedCertificateAsync(parley.SmtpPort)).GetNameInfo(X509NameType.SimpleName, false));
        var record = await parley.AddContactRecordAsync("Greta", "greta@customer.test");
        await SendAsync(parley, record, "Via the relay");
        Assert.Equal("mail.parley.test", Assert.Single(await relay.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Helo);
    }

    [Fact]
    public async Task Direct_delivery_says_EHLO_with_the_name_given_to_serve_until_Settings_names_another()
    {
        await using var mx = await SmtpSinkPeer.StartAsync();
        await using var dns = await DnsmasqPeer.StartAsync(["mx-host=customer.test,mx1.customer.test,10", "host-record=mx1.customer.test,127.0.0.1"], ["test"]);
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(Alias, o => o with { Dns = dns.Server, DirectDeliveryPort = mx.Port, SmtpName = "out.parley.test" });
        var record = await parley.AddContactRecordAsync("Hugo", "hugo@customer.test");

        await SendAsync(parley, record, "Before");
        Assert.Equal("out.parley.test", Assert.Single(await mx.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Helo);

        // The next email already introduces itself with the new name, though a session under the old one is still open.
        await parley.PutAsync("/api/v1/settings/host", new { hostname = "mail.parley.test" });
        await SendAsync(parley, record, "After");
        Assert.Equal(["out.parley.test", "mail.parley.test"], (await mx.WaitForMessagesAsync(2, TimeSpan.FromSeconds(10))).Select(m => m.Helo));
    }

    [Fact]
    public async Task The_doctor_warns_when_the_host_name_is_not_a_full_domain_name_resolving_to_this_server()
    {
        await using var dns = await DnsmasqPeer.StartAsync(["host-record=mail.parley.test,203.0.113.7"], ["test"]);
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(Alias, o => o with { Dns = dns.Server, SmtpName = "vm" });
        await parley.PostAsync("/api/v1/domains", new { name = "parley.test" });

        var bare = Finding(await DoctorAsync(parley), "host.not-fqdn");
        Assert.Equal("warn", bare.GetProperty("severity").GetString());
        Assert.Contains("\"vm\"", bare.GetProperty("detail").GetString());

        await parley.PutAsync("/api/v1/settings/host", new { hostname = "mail.parley.test", publicIp = "203.0.113.9" });
        var elsewhere = Finding(await DoctorAsync(parley), "host.elsewhere");
        Assert.Equal("warn", elsewhere.GetProperty("severity").GetString());
        Assert.Contains("203.0.113.7", elsewhere.GetProperty("detail").GetString());

        await parley.PutAsync("/api/v1/settings/host", new { hostname = "mail.parley.test", publicIp = "203.0.113.7" });
        var report = await DoctorAsync(parley);
        Assert.Equal("pass", Finding(report, "host.valid").GetProperty("severity").GetString());
        // Reverse DNS is compared with the name Parley really says in EHLO.
        Assert.Contains("mail.parley.test", report.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("id").GetString()!.StartsWith("ptr.")).GetProperty("detail").GetString());
    }

    private async Task<JsonElement> DoctorAsync(ParleyHost parley)
    {
        var report = await parley.GetAsync("/api/v1/domains/parley.test/doctor");
        output.WriteLine(report.ToString());
        return report;
    }

    private static JsonElement Finding(JsonElement report, string id) => DoctorScenario.Finding(report, id);

    private async Task SendAsync(ParleyHost parley, string record, string subject)
    {
        var message = await parley.SendEmailAndWaitAsync(record, subject);
        output.WriteLine(message.ToString());
        Assert.Equal("sent", message.GetProperty("state").GetString());
    }
}
