using System.Globalization;
using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Inbound → "New contact from the sender" on a message that failed DMARC (real checks against dnsmasq, mail by
/// swaks): the row warns that the sender may not be who they say, and no contact is made without the admin's yes.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class InboundSpoofedSenderBrowserTests(BrowserFixture browser)
{
    private const string AliasDomain = "in.parley.test";

    [Fact]
    public async Task A_sender_that_failed_dmarc_is_warned_about_and_needs_an_explicit_yes()
    {
        await using var dns = await DnsmasqPeer.StartAsync(
        [
            "txt-record=bank.test,\"v=spf1 ip4:192.0.2.1 -all\"",
            "txt-record=_dmarc.bank.test,\"v=DMARC1; p=reject\"",
            "txt-record=honest.test,\"v=spf1 ip4:127.0.0.1 -all\"",
            "txt-record=_dmarc.honest.test,\"v=DMARC1; p=none\"",
        ]);
        await using var parley = await ParleyHost.ServeAsync(o => o with { Dns = dns.Server });
        await parley.PutAsync("/api/v1/settings/alias-domain", new { domain = AliasDomain });
        await SendAsync(parley, "security@bank.test", "Bank <security@bank.test>", "Verify your account");
        await SendAsync(parley, "bruno@honest.test", "Bruno <bruno@honest.test>", "A real question");
        await parley.WaitForInboundStatsAsync(s => s.GetProperty("unrouted").GetInt32() == 2, "both messages are unrouted");
        var unrouted = (await parley.GetAsync("/api/v1/inbound/unrouted")).EnumerateArray().ToList();
        var forged = unrouted.Single(m => m.GetProperty("mailFrom").GetString() == "security@bank.test").GetProperty("id").GetInt64();
        var honest = unrouted.Single(m => m.GetProperty("mailFrom").GetString() == "bruno@honest.test").GetProperty("id").GetInt64();

        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;
        await page.GotoAsync("/inbound");
        var row = page.Locator($"#inbound-{forged}");
        await Assertions.Expect(row.Locator(".failed-dmarc")).ToHaveTextAsync("This message failed DMARC; the sender may not be who they say.");
        await Assertions.Expect(page.Locator($"#inbound-{honest} .failed-dmarc")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "inbound-failed-dmarc");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "inbound-failed-dmarc-390");
        await page.SetViewportSizeAsync(1280, 900);

        // Without the box ticked (a form sent without the browser's check), the server refuses and makes no contact.
        var token = await page.Locator($"#inbound-{forged} form.assign-sender input[name=__RequestVerificationToken]").GetAttributeAsync("value");
        var refused = await page.APIRequest.PostAsync("/inbound?handler=AssignToSender", new()
        {
            Form = page.APIRequest.CreateFormData().Set("id", forged.ToString(CultureInfo.InvariantCulture)).Set("__RequestVerificationToken", token!),
        });
        Assert.Equal(200, refused.Status);
        Assert.Contains("This message failed DMARC; the sender may not be who they say.", await refused.TextAsync());
        Assert.Equal(0, (await parley.GetAsync("/api/v1/contacts?q=bank.test")).GetProperty("total").GetInt32());

        await row.Locator("input[name=despiteFailedDmarc]").CheckAsync();
        await row.Locator(".assign-to-sender").ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Bank <security@bank.test> was added to your contacts");
    }

    private static async Task SendAsync(ParleyHost parley, string mailFrom, string from, string subject)
    {
        var sent = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = mailFrom,
            To = ["nobody@" + AliasDomain],
            Headers = [$"From: {from}", $"Subject: {subject}"],
        });
        Assert.Equal(0, sent.ExitCode);
    }
}
