using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Chatter;
using Parley.Core.Dashboard;
using Parley.Core.Data;
using Parley.Core.Doctor;
using Parley.Core.Domains;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Deliverability.Doctor;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Dashboard;

/// <summary>The home page's figures, from rows stored in a real SQLite database; and the page that shows them.</summary>
public sealed class DashboardTests
{
    [Fact]
    public async Task The_figures_count_the_outbox_by_state_today_the_unrouted_and_each_domain_verdict()
    {
        await using var host = await ParleyHost.ServeAsync();
        var now = DateTimeOffset.UtcNow;
        var yesterday = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(-1);
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            var message = new ChatterMessage { RecordType = "contact", RecordId = 1, Kind = MessageKind.Email, CreatedAt = now };
            db.Messages.Add(message);
            await db.SaveChangesAsync();
            // Due tomorrow: the host's outbox worker must not claim the queued and deferred rows while the test reads them.
            OutboxItem Row(DeliveryState state, DateTimeOffset? sentAt = null) =>
                new() { ChatterMessageId = message.Id, Recipient = "zoe@x.test", State = state, SentAt = sentAt, CreatedAt = now, NextAttemptAt = now.AddDays(1) };
            db.Outbox.AddRange(Row(DeliveryState.Sent, now), Row(DeliveryState.Sent, now), Row(DeliveryState.Sent, yesterday),
                Row(DeliveryState.Failed), Row(DeliveryState.Deferred), Row(DeliveryState.Deferred), Row(DeliveryState.Queued));
            InboundMessage In(InboundStatus status, DateTimeOffset at) =>
                new() { Status = status, ReceivedAt = at, RawMime = new RawMime { Content = [1] } };
            db.Inbound.AddRange(In(InboundStatus.Routed, now), In(InboundStatus.Routed, yesterday), In(InboundStatus.Unrouted, now),
                In(InboundStatus.Unrouted, yesterday), In(InboundStatus.Bounce, now), In(InboundStatus.Duplicate, now));
            var checkedDomain = new SendingDomain { Name = "shop.test", CreatedAt = now };
            db.SendingDomains.AddRange(checkedDomain, new SendingDomain { Name = "new.test", CreatedAt = now });
            await db.SaveChangesAsync();
            var report = new DoctorReport("shop.test", now, [
                new Finding("spf.missing", FindingSeverity.Fail, "No SPF", "…"),
                new Finding("dmarc.none", FindingSeverity.Warn, "p=none", "…"),
                new Finding("dkim.ok", FindingSeverity.Pass, "DKIM", "…")]);
            db.DoctorRuns.Add(new DoctorRun { SendingDomainId = checkedDomain.Id, CheckedAt = now, FindingsJson = DoctorReportJson.Serialize(report) });
            await db.SaveChangesAsync();
        }

        DashboardFigures figures;
        using (var scope = host.Services.CreateScope())
        {
            figures = await scope.ServiceProvider.GetRequiredService<DashboardService>().GetAsync(CancellationToken.None);
        }

        Assert.Equal(3, figures.Outbox[DeliveryState.Sent]);
        Assert.Equal(2, figures.Outbox[DeliveryState.Deferred]);
        Assert.Equal(1, figures.Outbox[DeliveryState.Queued]);
        Assert.Equal(3, figures.NeedingDecision);
        Assert.Equal(2, figures.SentToday);
        Assert.Equal(2, figures.ReceivedToday);
        Assert.Equal(1, figures.BouncedToday);
        Assert.Equal(2, figures.UnroutedWaiting);
        var shop = Assert.Single(figures.Domains, d => d.Name == "shop.test");
        Assert.Equal((FindingSeverity?)FindingSeverity.Fail, shop.Verdict);
        Assert.Equal((1, 1), (shop.Failing, shop.Warnings));
        Assert.Null(Assert.Single(figures.Domains, d => d.Name == "new.test").Verdict);

        // The page shows the same figures, each a link to where it is handled.
        using var browser = new FormClient(host.BaseUrl);
        await browser.SignInAsync(ParleyHost.AdminEmail, ParleyHost.Password);
        var html = await (await browser.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Contains("id=\"needing-decision\" href=\"/outbox?state=failed\"><strong>3</strong>", html);
        Assert.Contains("id=\"unrouted-waiting\" href=\"/inbound\"><strong>2</strong>", html);
        Assert.Contains("id=\"sent-today\" href=\"/outbox?state=sent\"><strong>2</strong>", html);
        Assert.Contains("href=\"/domains#domain-shop.test\">shop.test</a> <span class=\"sev sev-fail\">1 failing</span>", html);
        Assert.Contains("<span class=\"sev sev-none\">not checked yet</span>", html);
    }
}
