using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Parley.Core.Doctor;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The scheduled doctor, driven one pass at a time: a change in the findings becomes one event in the
/// domain's Deliverability chatter and one email per admin through the relay; a pass that finds the
/// same as before posts nothing.
/// </summary>
public sealed class DoctorScheduleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_change_in_the_findings_posts_one_event_and_emails_the_admins_and_no_change_posts_nothing()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var scenario = await DoctorScenario.CreateAsync(sink.Port);
        string timeline;

        await using (var dns = await DnsmasqPeer.StartAsync(scenario.GoodZone()))
        await using (var parley = await scenario.StartAsync(dns))
        {
            var domainId = (await parley.GetAsync($"/api/v1/domains/{DoctorScenario.Domain}")).GetProperty("id").GetInt64();
            timeline = $"/api/v1/records/deliverability/{domainId}";
            var scheduled = parley.Services.GetRequiredService<ScheduledDoctor>();

            await scheduled.RunOnceAsync(CancellationToken.None);
            var first = Assert.Single(await EventsAsync(parley, timeline));
            output.WriteLine(first.GetProperty("text").GetString());
            Assert.StartsWith("First check; DMARC warns: DMARC policy is none", first.GetProperty("text").GetString());
            Assert.Equal("Domain doctor", first.GetProperty("author").GetString());

            // The admins get it by email, marked as automatic, through the configured relay. (The alias domain is a
            // sending domain too, so its own first check is mailed as well.)
            var mails = (await sink.WaitForMessagesAsync(2, TimeSpan.FromSeconds(60)))
                .Select(m => (m.Recipients, Mime: MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m.Message))))).ToList();
            var (recipients, mime) = Assert.Single(mails, m => m.Mime.Subject?.StartsWith("Deliverability of shop.test:", StringComparison.Ordinal) == true);
            Assert.Equal([ParleyHost.AdminEmail], recipients);
            Assert.Equal("auto-generated", mime.Headers["Auto-Submitted"]);
            Assert.StartsWith("Deliverability of shop.test: First check", mime.Subject);
            Assert.Equal($"notifications@{DoctorScenario.Alias}", mime.From.Mailboxes.Single().Address);
            Assert.Contains("DMARC policy is none", mime.TextBody);

            // Same DNS, same findings: nothing new.
            await scheduled.RunOnceAsync(CancellationToken.None);
            Assert.Single(await EventsAsync(parley, timeline));
        }

        // SPF removed and the RSA key replaced in DNS: the next pass says exactly that.
        await using (var dns = await DnsmasqPeer.StartAsync(scenario.BrokenZone()))
        await using (var parley = await scenario.StartAsync(dns))
        {
            await parley.Services.GetRequiredService<ScheduledDoctor>().RunOnceAsync(CancellationToken.None);
            var events = await EventsAsync(parley, timeline);
            Assert.Equal(2, events.Count);
            var text = events[0].GetProperty("text").GetString()!;
            output.WriteLine(text);
            Assert.StartsWith("SPF now fails: No SPF record; DKIM now fails: ", text);
            Assert.Contains("is not the key Parley signs with", text);

            await parley.Services.GetRequiredService<ScheduledDoctor>().RunOnceAsync(CancellationToken.None);
            Assert.Equal(2, (await EventsAsync(parley, timeline)).Count);
        }

        // Published again: fixed.
        await using (var dns = await DnsmasqPeer.StartAsync(scenario.GoodZone()))
        await using (var parley = await scenario.StartAsync(dns))
        {
            await parley.Services.GetRequiredService<ScheduledDoctor>().RunOnceAsync(CancellationToken.None);
            var events = await EventsAsync(parley, timeline);
            Assert.Equal(3, events.Count);
            var text = events[0].GetProperty("text").GetString()!;
            output.WriteLine(text);
            Assert.StartsWith("SPF fixed; DKIM fixed", text);
        }
    }

    private static async Task<List<JsonElement>> EventsAsync(ParleyHost parley, string record) =>
        (await parley.GetAsync($"{record}/messages")).EnumerateArray().Where(m => m.GetProperty("kind").GetString() == "event").ToList();
}
