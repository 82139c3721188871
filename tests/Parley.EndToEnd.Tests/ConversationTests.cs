namespace Parley.EndToEnd.Tests;

/// <summary>
/// The foundation's promise with real peers: an email leaves through postfix's smtp-sink, the
/// customer's reply (sent by swaks) comes back through Parley's SMTP listener into the same chatter.
/// Runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class ConversationTests(PostgresFixture? postgres, ITestOutputHelper output) : RelayedParleyTests(postgres, output)
{
    [Fact]
    public async Task Email_leaves_through_the_relay_and_the_swaks_reply_lands_in_the_same_chatter()
    {
        var contact = await Parley.AddContactAsync("Ana Lima", "ana@customer.test");
        var template = await Parley.AddTemplateAsync("Welcome", "Hello {{ record.name }}", "Dear {{ record.name }},\n\nWelcome!\n\n{{ user.name }}");
        var record = $"/api/v1/records/contact/{contact}";

        await Parley.PostAsync($"{record}/messages", new { kind = "note", body = "Internal: she asked for a discount." });
        var posted = await Parley.PostAsync($"{record}/messages", new { kind = "email", templateId = template });
        var messageId = posted.GetProperty("messageId").GetString()!;
        Assert.EndsWith("@" + AliasDomain, messageId);

        var sent = await Parley.WaitForMessageAsync(record, m => m.GetProperty("messageId").GetString() == messageId && m.GetProperty("state").GetString() == "sent");
        Assert.Equal("Hello Ana Lima", sent.GetProperty("subject").GetString());

        var dumped = Assert.Single(await Sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal(["ana@customer.test"], dumped.Recipients);
        Assert.Matches($@"^bounce\+\d+-[0-9a-f]{{12}}@{AliasDomain.Replace(".", "\\.")}$", dumped.MailFrom);
        Assert.Contains($"<{messageId}>", dumped.Message);
        Assert.Contains("Dear Ana Lima,", dumped.Message);
        Assert.DoesNotContain("discount", dumped.Message);
        var replyTo = dumped.Mime().ReplyTo.Mailboxes.Single().Address;
        Assert.StartsWith("reply+contact-", replyTo);

        await ReplyAsync("ana@customer.test", replyTo, messageId, "Re: Hello Ana Lima", "Thank you! Tuesday works for me.");

        var reply = await Parley.WaitForMessageAsync(record, m => m.GetProperty("direction").GetString() == "in");
        Assert.Equal("received", reply.GetProperty("state").GetString());
        Assert.Contains("Tuesday works", reply.GetProperty("text").GetString());

        var timeline = (await Parley.GetAsync($"{record}/messages")).EnumerateArray().ToList();
        Assert.Equal(["email", "email", "note"], timeline.Select(m => m.GetProperty("kind").GetString()));
        Assert.Equal(["in", "out", null], timeline.Select(m => m.GetProperty("direction").GetString()));
    }

    [Fact]
    public async Task A_reply_whose_message_id_was_rewritten_still_threads_by_its_reply_address()
    {
        var record = await Parley.AddContactRecordAsync("Bruno", "bruno@customer.test");
        await Parley.PostAsync($"{record}/messages", new { kind = "email", subject = "Quote", body = "Here is the quote." });
        await Parley.WaitForMessageAsync(record, m => m.GetProperty("state").GetString() == "sent");
        var dumped = Assert.Single(await Sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));

        await ReplyAsync("bruno@customer.test", dumped.Mime().ReplyTo.Mailboxes.Single().Address, "rewritten-by-provider@outlook.test", "Re: Quote", "Looks good.");
        var reply = await Parley.WaitForMessageAsync(record, m => m.GetProperty("direction").GetString() == "in");
        Assert.Contains("Looks good", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_listener_is_not_an_open_relay()
    {
        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = Parley.SmtpPort,
            From = "spammer@elsewhere.test",
            To = ["victim@gmail.test"],
            QuitAfter = "RCPT",
        });
        Output.WriteLine(swaks.Transcript);
        Assert.NotEqual(0, swaks.ExitCode);
        Assert.Contains("550 5.7.1", swaks.Transcript);
    }
}

public sealed class ConversationOnSqliteTests(ITestOutputHelper output) : ConversationTests(null, output);

[Collection(PostgresCollection.Name)]
public sealed class ConversationOnPostgresTests(PostgresFixture postgres, ITestOutputHelper output) : ConversationTests(postgres, output);
