using System.Text.Json;
using Parley.EndToEnd.Tests.Infrastructure;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The foundation's promise with real peers: an email leaves through postfix's smtp-sink, the
/// customer's reply (sent by swaks) comes back through Parley's SMTP listener into the same chatter.
/// Runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class ConversationTests(ITestOutputHelper output) : IAsyncLifetime
{
    protected const string AliasDomain = "replies.parley.test";
    private ParleyHost _parley = null!;
    private SmtpSinkPeer _sink = null!;

    protected ParleyHost Parley => _parley;

    protected abstract Task<string?> DatabaseAsync();

    public async Task InitializeAsync()
    {
        _sink = await SmtpSinkPeer.StartAsync();
        var database = await DatabaseAsync();
        _parley = await ParleyHost.ServeAsync(o => o with { Database = database });
        await _parley.Api.PutAsync("/api/v1/settings/alias-domain", Json(new { domain = AliasDomain }));
        await _parley.PostAsync("/api/v1/outgoing-servers", new { name = "sink", host = "127.0.0.1", port = _sink.Port, security = "none" });
    }

    public async Task DisposeAsync()
    {
        await _parley.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task Email_leaves_through_the_relay_and_the_swaks_reply_lands_in_the_same_chatter()
    {
        var contact = (await _parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana@customer.test" })).GetProperty("id").GetInt64();
        var template = (await _parley.PostAsync("/api/v1/templates", new
        {
            name = "Welcome",
            recordType = "contact",
            subject = "Hello {{ record.name }}",
            body = "Dear {{ record.name }},\n\nWelcome!\n\n{{ user.name }}",
        })).GetProperty("id").GetInt64();
        var record = $"/api/v1/records/contact/{contact}";

        await _parley.PostAsync($"{record}/messages", new { kind = "note", body = "Internal: she asked for a discount." });
        var posted = await _parley.PostAsync($"{record}/messages", new { kind = "email", templateId = template });
        var messageId = posted.GetProperty("messageId").GetString()!;
        Assert.EndsWith("@" + AliasDomain, messageId);

        var sent = await _parley.WaitForMessageAsync(record, m => m.GetProperty("messageId").GetString() == messageId && m.GetProperty("state").GetString() == "sent");
        Assert.Equal("Hello Ana Lima", sent.GetProperty("subject").GetString());

        var dumped = Assert.Single(await _sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal(["ana@customer.test"], dumped.Recipients);
        Assert.Matches($@"^bounce\+\d+-[0-9a-f]{{12}}@{AliasDomain.Replace(".", "\\.")}$", dumped.MailFrom);
        Assert.Contains($"<{messageId}>", dumped.Message);
        Assert.Contains("Dear Ana Lima,", dumped.Message);
        Assert.DoesNotContain("discount", dumped.Message);
        var replyTo = ReplyAddressIn(dumped.Message);
        Assert.StartsWith("reply+contact-", replyTo);

        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = _parley.SmtpPort,
            From = "ana@customer.test",
            To = [replyTo],
            Headers = [$"In-Reply-To: <{messageId}>", "Subject: Re: Hello Ana Lima"],
            Body = "Thank you! Tuesday works for me.",
        });
        output.WriteLine(swaks.Transcript);
        Assert.Equal(0, swaks.ExitCode);

        var reply = await _parley.WaitForMessageAsync(record, m => m.GetProperty("direction").GetString() == "in");
        Assert.Equal("received", reply.GetProperty("state").GetString());
        Assert.Contains("Tuesday works", reply.GetProperty("text").GetString());

        var timeline = (await _parley.GetAsync($"{record}/messages")).EnumerateArray().ToList();
        Assert.Equal(["email", "email", "note"], timeline.Select(m => m.GetProperty("kind").GetString()));
        Assert.Equal(["in", "out", null], timeline.Select(m => m.GetProperty("direction").GetString()));
    }

    [Fact]
    public async Task A_reply_whose_message_id_was_rewritten_still_threads_by_its_reply_address()
    {
        var contact = (await _parley.PostAsync("/api/v1/contacts", new { name = "Bruno", email = "bruno@customer.test" })).GetProperty("id").GetInt64();
        var record = $"/api/v1/records/contact/{contact}";
        await _parley.PostAsync($"{record}/messages", new { kind = "email", subject = "Quote", body = "Here is the quote." });
        await _parley.WaitForMessageAsync(record, m => m.GetProperty("state").GetString() == "sent");
        var dumped = Assert.Single(await _sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));

        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = _parley.SmtpPort,
            From = "bruno@customer.test",
            To = [ReplyAddressIn(dumped.Message)],
            Headers = ["In-Reply-To: <rewritten-by-provider@outlook.test>", "Subject: Re: Quote"],
            Body = "Looks good.",
        });
        output.WriteLine(swaks.Transcript);
        var reply = await _parley.WaitForMessageAsync(record, m => m.GetProperty("direction").GetString() == "in");
        Assert.Contains("Looks good", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_listener_is_not_an_open_relay()
    {
        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = _parley.SmtpPort,
            From = "spammer@elsewhere.test",
            To = ["victim@gmail.test"],
            QuitAfter = "RCPT",
        });
        output.WriteLine(swaks.Transcript);
        Assert.NotEqual(0, swaks.ExitCode);
        Assert.Contains("550 5.7.1", swaks.Transcript);
    }

    /// <summary>The Reply-To address of a dumped message (parsed, since long headers are folded).</summary>
    private static string ReplyAddressIn(string message)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(message));
        return MimeKit.MimeMessage.Load(stream).ReplyTo.Mailboxes.Single().Address;
    }

    private static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}

public sealed class ConversationOnSqliteTests(ITestOutputHelper output) : ConversationTests(output)
{
    protected override Task<string?> DatabaseAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class ConversationOnPostgresTests(PostgresFixture postgres, ITestOutputHelper output) : ConversationTests(output)
{
    protected override async Task<string?> DatabaseAsync() => await postgres.CreateDatabaseAsync();
}
