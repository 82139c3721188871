using System.Text;
using MimeKit;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>A mass mailing carries one-click unsubscribe (RFC 8058), and an unsubscribed address gets no more.</summary>
public sealed class MailingTests
{
    [Fact]
    public async Task A_mailing_reaches_the_tagged_contacts_with_one_click_unsubscribe_that_works()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyHost.ServeAsync();
        await parley.PutAsync("/api/v1/settings/alias-domain", new { domain = "replies.parley.test" });
        await parley.PostAsync("/api/v1/outgoing-servers", new { name = "relay", host = "127.0.0.1", port = sink.Port, security = "none" });
        foreach (var (name, email, tags) in new[] { ("Ana", "ana@customer.test", "newsletter"), ("Bruno", "bruno@customer.test", "newsletter,vip"), ("Chloé", "chloe@customer.test", "vip") })
            await parley.PostAsync("/api/v1/contacts", new { name, email, tags });
        var template = (await parley.PostAsync("/api/v1/templates", new { name = "News", recordType = "contact", subject = "News for {{ record.first_name }}", body = "Hello {{ record.name }}!" })).GetProperty("id").GetInt64();

        var result = await parley.PostAsync("/api/v1/mailings", new { templateId = template, tag = "newsletter" });
        Assert.Equal(2, result.GetProperty("queued").GetInt32());
        var dumped = await sink.WaitForMessagesAsync(2, TimeSpan.FromSeconds(20));
        var messages = dumped.Select(m => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m.Message)))).ToList();
        Assert.Equal(["ana@customer.test", "bruno@customer.test"], messages.Select(m => m.To.Mailboxes.Single().Address).Order());
        var ana = messages.Single(m => m.To.Mailboxes.Single().Address == "ana@customer.test");
        Assert.Equal("News for Ana", ana.Subject);
        Assert.Equal("List-Unsubscribe=One-Click", ana.Headers["List-Unsubscribe-Post"]);
        var link = ana.Headers["List-Unsubscribe"]!.Split(',').Select(p => p.Trim().Trim('<', '>')).First(p => p.StartsWith("http"));

        // What a mail client does for one-click unsubscribe: a POST with that body, no cookies, no token.
        using var anonymous = new HttpClient();
        using (var oneClick = await anonymous.PostAsync(link, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
            Assert.True(oneClick.IsSuccessStatusCode, $"{(int)oneClick.StatusCode}");
        // A forged link unsubscribes nobody.
        using (var forged = await anonymous.PostAsync(link[..^3] + "abc", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
            Assert.Equal(System.Net.HttpStatusCode.NotFound, forged.StatusCode);

        var again = await parley.PostAsync("/api/v1/mailings", new { templateId = template, tag = "newsletter" });
        Assert.Equal(1, again.GetProperty("queued").GetInt32());
        var skip = Assert.Single(again.GetProperty("skipped").EnumerateArray());
        Assert.Equal("ana@customer.test", skip.GetProperty("email").GetString());
    }
}
