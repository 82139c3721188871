using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Doctor;

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

            var first = await PassAsync(parley, timeline, events: 1);
            Assert.StartsWith("First check; DMARC warns: DMARC policy is none", first.GetProperty("text").GetString());
            Assert.Equal("Domain doctor", first.GetProperty("author").GetString());

            // The admins get it by email, marked as automatic, through the configured relay. (The alias domain is a
            // sending domain too, so its own first check is mailed as well.)
            var mails = (await sink.WaitForMessagesAsync(2, TimeSpan.FromSeconds(60)))
                .Select(m => (m.Recipients, Mime: m.Mime())).ToList();
            var (recipients, mime) = Assert.Single(mails, m => m.Mime.Subject?.StartsWith("Deliverability of shop.test:", StringComparison.Ordinal) == true);
            Assert.Equal([ParleyHost.AdminEmail], recipients);
            Assert.Equal("auto-generated", mime.Headers["Auto-Submitted"]);
            Assert.StartsWith("Deliverability of shop.test: First check", mime.Subject);
            Assert.Equal($"notifications@{DoctorScenario.Alias}", mime.From.Mailboxes.Single().Address);
            Assert.Contains("DMARC policy is none", mime.TextBody);

            // Same DNS, same findings: nothing new.
            await PassAsync(parley, timeline, events: 1);
        }

        // SPF removed and the RSA key replaced in DNS: the next pass says exactly that.
        await using (var dns = await DnsmasqPeer.StartAsync(scenario.BrokenZone()))
        await using (var parley = await scenario.StartAsync(dns))
        {
            var text = (await PassAsync(parley, timeline, events: 2)).GetProperty("text").GetString()!;
            Assert.StartsWith("SPF now fails: No SPF record; DKIM now fails: ", text);
            Assert.Contains("is not the key Parley signs with", text);

            await PassAsync(parley, timeline, events: 2);
        }

        // Published again: fixed.
        await using (var dns = await DnsmasqPeer.StartAsync(scenario.GoodZone()))
        await using (var parley = await scenario.StartAsync(dns))
        {
            Assert.StartsWith("SPF fixed; DKIM fixed", (await PassAsync(parley, timeline, events: 3)).GetProperty("text").GetString());
        }
    }

    /// <summary>Runs one scheduled pass; then the timeline holds <paramref name="events"/> events, and the newest is returned.</summary>
    private async Task<JsonElement> PassAsync(ParleyHost parley, string timeline, int events)
    {
        await parley.Services.GetRequiredService<ScheduledDoctor>().RunOnceAsync(CancellationToken.None);
        var all = (await parley.GetAsync($"{timeline}/messages")).EnumerateArray().Where(m => m.GetProperty("kind").GetString() == "event").ToList();
        Assert.Equal(events, all.Count);
        output.WriteLine(all[0].GetProperty("text").GetString());
        return all[0];
    }
}
