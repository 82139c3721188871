using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Way in #2 with real peers: an email leaves through smtp-sink, the customer's reply lands in a real Dovecot
/// mailbox, Parley fetches it over IMAP (or POP3) and it appears in the same chatter; the same Message-ID by SMTP
/// (swaks) and by fetch is posted once; a wrong password is a readable error; the UI shows it all.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class MailboxFetchEndToEndTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private const string AliasDomain = "replies.parley.test";
    private const string MailboxUser = "replies@mail.test";
    private const string MailboxPassword = "mailbox-pass";
    private ParleyHost _parley = null!;
    private SmtpSinkPeer _sink = null!;
    private DovecotPeer _dovecot = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSinkPeer.StartAsync();
        _dovecot = await DovecotPeer.StartAsync(new Dictionary<string, string> { [MailboxUser] = MailboxPassword });
        _parley = await ParleyApi.ServeWithRelayAsync(_sink, AliasDomain);
    }

    public async Task DisposeAsync()
    {
        await _parley.DisposeAsync();
        await _dovecot.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private async Task<(string Record, string MessageId, string ReplyTo)> SendEmailAsync(string name, string email)
    {
        var record = await _parley.AddContactRecordAsync(name, email);
        var posted = await _parley.PostAsync($"{record}/messages", new { kind = "email", subject = "Your quote", body = "Here is the quote." });
        var messageId = posted.GetProperty("messageId").GetString()!;
        await _parley.WaitForMessageAsync(record, m => m.GetProperty("state").GetString() == "sent");
        var dumped = (await _sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Single(m => m.Message.Contains(messageId, StringComparison.Ordinal));
        return (record, messageId, dumped.Mime().ReplyTo.Mailboxes.Single().Address);
    }

    private static string Reply(string from, string to, string inReplyTo, string messageId, string body) =>
        $"From: {from}\nTo: {to}\nSubject: Re: Your quote\nDate: Mon, 23 Nov 2026 12:00:00 +0000\nMessage-ID: <{messageId}>\nIn-Reply-To: <{inReplyTo}>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n";

    private Task<JsonElement> AddAccountAsync(string protocol, string password = MailboxPassword, string? afterFetch = null) =>
        _parley.PostAsync("/api/v1/fetch-accounts", new
        {
            name = protocol == "imap" ? "Replies (IMAP)" : "Replies (POP3)",
            protocol,
            host = _dovecot.Host,
            port = protocol == "imap" ? _dovecot.ImapPort : _dovecot.Pop3Port,
            security = "none",
            username = MailboxUser,
            password,
            afterFetch,
            intervalSeconds = 3600,
        });

    private static bool Seen(string file) => Path.GetFileName(Path.GetDirectoryName(file)) == "cur" && file.Split(":2,").Last().Contains('S');

    [Fact]
    public async Task A_reply_in_the_imap_mailbox_is_fetched_into_the_right_chatter_and_marked_seen()
    {
        var (record, messageId, replyTo) = await SendEmailAsync("Ana Lima", "ana@customer.test");
        _dovecot.Deliver(MailboxUser, Reply("Ana Lima <ana@customer.test>", replyTo, messageId, "fetched-1@customer.test", "Fetched over IMAP: Tuesday works."));

        var account = await AddAccountAsync("imap");
        var id = account.GetProperty("id").GetInt64();
        Assert.False(account.TryGetProperty("password", out _));
        Assert.True(account.GetProperty("hasPassword").GetBoolean());

        // The worker's IMAP session (IDLE) may take it first; "fetch now" then finds nothing new. Either way it lands once.
        var now = await _parley.PostAsync($"/api/v1/fetch-accounts/{id}/fetch-now", new { });
        output.WriteLine(now.ToString());
        Assert.True(now.GetProperty("ok").GetBoolean());
        var reply = await _parley.WaitForMessageAsync(record, m => m.GetProperty("direction").GetString() == "in");
        Assert.Contains("Tuesday works", reply.GetProperty("text").GetString());
        Assert.True(Seen(Assert.Single(_dovecot.MessageFiles(MailboxUser))));

        // A second poll fetches nothing.
        var again = await _parley.PostAsync($"/api/v1/fetch-accounts/{id}/fetch-now", new { });
        Assert.Equal(0, again.GetProperty("stored").GetInt32());

        // A barrier: a later reply must arrive in the chatter; by then a second copy of the first would have too.
        _dovecot.Deliver(MailboxUser, Reply("Ana Lima <ana@customer.test>", replyTo, messageId, "fetched-2@customer.test", "A later reply: Wednesday too."));
        await _parley.PostAsync($"/api/v1/fetch-accounts/{id}/fetch-now", new { }); // or the IDLE session takes it first
        await _parley.WaitForMessageAsync(record, m => m.GetProperty("text").GetString()?.Contains("Wednesday too") == true);
        var replies = (await _parley.GetAsync($"{record}/messages")).EnumerateArray().Where(m => m.GetProperty("direction").GetString() == "in").ToList();
        Assert.Equal(2, replies.Count);
        Assert.Single(replies, m => m.GetProperty("text").GetString()?.Contains("Tuesday works") == true);
        var listed = Assert.Single((await _parley.GetAsync("/api/v1/fetch-accounts")).EnumerateArray());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("lastError").ValueKind);
        var stats = await _parley.GetAsync("/api/v1/inbound/stats");
        Assert.Equal((2, 0), (stats.GetProperty("received").GetInt32(), stats.GetProperty("duplicates").GetInt32()));
    }

    [Fact]
    public async Task The_same_message_id_by_smtp_and_by_pop3_fetch_is_posted_once_and_deleted_from_the_mailbox()
    {
        var (record, messageId, replyTo) = await SendEmailAsync("Bruno", "bruno@customer.test");
        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = _parley.SmtpPort,
            From = "bruno@customer.test",
            To = [replyTo],
            Headers = ["Message-Id: <both-ways@customer.test>", $"In-Reply-To: <{messageId}>", "Subject: Re: Your quote"],
            Body = "Sent once, arriving twice.",
        });
        output.WriteLine(swaks.Transcript);
        Assert.Equal(0, swaks.ExitCode);
        await _parley.WaitForMessageAsync(record, m => m.GetProperty("direction").GetString() == "in");

        _dovecot.Deliver(MailboxUser, Reply("Bruno <bruno@customer.test>", replyTo, messageId, "both-ways@customer.test", "Sent once, arriving twice."));
        var account = await AddAccountAsync("pop3", afterFetch: "delete");
        var now = await _parley.PostAsync($"/api/v1/fetch-accounts/{account.GetProperty("id").GetInt64()}/fetch-now", new { });
        output.WriteLine(now.ToString());
        Assert.True(now.GetProperty("ok").GetBoolean());
        Assert.Empty(_dovecot.MessageFiles(MailboxUser));

        var stats = await _parley.WaitForInboundStatsAsync(s => s.GetProperty("duplicates").GetInt32() >= 1,
            "the fetched copy is counted as a duplicate", TimeSpan.FromSeconds(15));
        output.WriteLine((await _parley.GetAsync("/api/v1/inbound")).ToString());
        Assert.Equal(2, stats.GetProperty("received").GetInt32());
        Assert.Equal(1, stats.GetProperty("duplicates").GetInt32());
        Assert.Single((await _parley.GetAsync($"{record}/messages")).EnumerateArray(), m => m.GetProperty("direction").GetString() == "in");
    }

    [Fact]
    public async Task A_wrong_password_shows_a_readable_error_and_the_page_shows_the_mailboxes()
    {
        _dovecot.Deliver(MailboxUser, Reply("Carla <carla@customer.test>", "replies@mail.test", "unknown@x.test", "c1@customer.test", "Hello"));
        var good = await AddAccountAsync("pop3", afterFetch: "keep");
        var goodId = good.GetProperty("id").GetInt64();
        var ok = await _parley.PostAsync($"/api/v1/fetch-accounts/{goodId}/test", new { });
        Assert.True(ok.GetProperty("ok").GetBoolean(), ok.ToString());
        Assert.Equal(1, ok.GetProperty("messages").GetInt32());

        var page = await browser.NewPageAsync(_parley.BaseUrl);
        await using var _ = page.Context;
        await page.GotoAsync("/inbound/mailboxes");
        await BrowserFixture.SignInAsync(page);
        await page.WaitForURLAsync("**/inbound/mailboxes");
        await page.ClickAsync($"#mailbox-{goodId} button:has-text('Fetch now')");
        await page.WaitForSelectorAsync("#fetch-result");
        Assert.Contains("fetched", await page.InnerTextAsync("#fetch-result")); // 0 or 1: the worker may have been first
        Assert.Contains("OK", await page.InnerTextAsync($"#mailbox-{goodId}"));

        // Paused (so only "fetch now" logs in: Dovecot slows an address down after each failed login).
        var bad = await _parley.PostAsync("/api/v1/fetch-accounts", new
        {
            name = "Old inbox",
            protocol = "imap",
            host = _dovecot.Host,
            port = _dovecot.ImapPort,
            security = "none",
            username = MailboxUser,
            password = "not-the-password",
            enabled = false,
        });
        var badId = bad.GetProperty("id").GetInt64();
        var fetch = await _parley.PostAsync($"/api/v1/fetch-accounts/{badId}/fetch-now", new { });
        Assert.False(fetch.GetProperty("ok").GetBoolean());
        var stored = await _parley.GetAsync($"/api/v1/fetch-accounts/{badId}");
        Assert.Contains("refused the user name or password", stored.GetProperty("lastError").GetString());

        await page.GotoAsync("/inbound/mailboxes");
        Assert.Contains("refused the user name or password", await page.InnerTextAsync($"#mailbox-{badId}"));
        await BrowserFixture.ScreenshotAsync(page, "inbound-mailboxes");
    }

    [Fact]
    public async Task A_message_that_could_not_be_stored_is_listed_and_fetched_again_with_try_again_once_the_cause_is_gone()
    {
        _dovecot.Deliver(MailboxUser, Reply("Dora <dora@customer.test>", "replies@mail.test", "unknown@x.test", "d1@customer.test", "Please store me."));
        var id = (await AddAccountAsync("pop3", afterFetch: "keep")).GetProperty("id").GetInt64();
        // The database refuses inbound rows, as a full disk would.
        await SqlAsync("CREATE TRIGGER refuse_inbound BEFORE INSERT ON \"Inbound\" BEGIN SELECT RAISE(ABORT, 'Simulated: the disk is full'); END;");
        // Three tries, then given up (the worker's first poll of a new mailbox may be one of them).
        for (var attempt = 0; attempt < 5 && !(await FailuresAsync(id)).Any(f => f.GetProperty("gaveUp").GetBoolean()); attempt++)
        {
            await _parley.PostAsync($"/api/v1/fetch-accounts/{id}/fetch-now", new { });
        }

        var failure = Assert.Single(await FailuresAsync(id));
        Assert.Equal((3, true), (failure.GetProperty("attempts").GetInt32(), failure.GetProperty("gaveUp").GetBoolean()));
        Assert.Equal(0, (await _parley.GetAsync("/api/v1/inbound/stats")).GetProperty("received").GetInt32());

        var page = await browser.SignedInPageAsync(_parley);
        await using var _ = page.Context;
        await page.GotoAsync("/inbound/mailboxes");
        var failures = page.Locator("#fetch-failures");
        await Assertions.Expect(failures).ToContainTextAsync("3 — given up");
        await Assertions.Expect(failures).ToContainTextAsync("Simulated: the disk is full");
        await BrowserFixture.ScreenshotAsync(page, "inbound-mailboxes-failure");

        await SqlAsync("DROP TRIGGER refuse_inbound");
        await failures.Locator("button:has-text('Try again')").ClickAsync();
        await Assertions.Expect(page.Locator("#fetch-result")).ToContainTextAsync("fetched 1 new message");
        await Assertions.Expect(failures).ToContainTextAsync("None: every fetched message was stored.");
        Assert.Equal(1, (await _parley.GetAsync("/api/v1/inbound/stats")).GetProperty("received").GetInt32());
        Assert.Empty(await FailuresAsync(id));
        using var unknown = await _parley.Api.PostAsync($"/api/v1/fetch-accounts/{id}/failures/{failure.GetProperty("id").GetInt64()}/retry", null);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode); // already retried: nothing to try again
    }

    private async Task<List<JsonElement>> FailuresAsync(long accountId) =>
        (await _parley.GetAsync($"/api/v1/fetch-accounts/{accountId}/failures")).EnumerateArray().ToList();

    private async Task SqlAsync(string sql)
    {
        await using var scope = _parley.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Parley.Core.Data.ParleyDbContext>().Database.ExecuteSqlRawAsync(sql);
    }
}
