using Parley.Smtp.Listener;
using Parley.Smtp.Tests.Support;
using Parley.Testing;

namespace Parley.Smtp.Tests.Listener;

/// <summary>Command sequencing, syntax and limits, byte-exact over a raw socket.</summary>
public sealed class ProtocolTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Commands_out_of_sequence_get_503_5_5_1()
    {
        await using var server = await TestServer.StartAsync(output);
        await using var client = await server.ConnectAsync(output);

        await AssertDialogueAsync(client,
            ("MAIL FROM:<a@client.test>", 503, "5.5.1 Error: send HELO/EHLO first"),
            ("EHLO client.test", 250, null),
            ("RCPT TO:<a@parley.test>", 503, "5.5.1 Error: need MAIL command"),
            ("DATA", 503, "5.5.1 Error: need MAIL command"),
            ("MAIL FROM:<a@client.test>", 250, "2.1.0 Ok"),
            ("MAIL FROM:<a@client.test>", 503, "5.5.1 Error: nested MAIL command"),
            ("DATA", 503, "5.5.1 Error: need RCPT command"),
            ("RSET", 250, "2.0.0 Ok"),
            ("RCPT TO:<a@parley.test>", 503, "5.5.1 Error: need MAIL command"),
            ("QUIT", 221, "2.0.0 Bye"));
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Ehlo_advertises_size_8bitmime_enhancedstatuscodes_and_pipelining_but_no_starttls_without_a_certificate()
    {
        await using var server = await TestServer.StartAsync(output, o => o.MaxMessageSize = 12345);
        await using var client = await server.ConnectAsync(output);

        var keywords = Keywords(await client.CommandAsync("EHLO client.test"));

        Assert.Equal("mx.parley.test", keywords[0]);
        Assert.Contains("SIZE 12345", keywords);
        Assert.Contains("8BITMIME", keywords);
        Assert.Contains("ENHANCEDSTATUSCODES", keywords);
        Assert.Contains("PIPELINING", keywords);
        Assert.DoesNotContain(keywords, k => k.StartsWith("STARTTLS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ehlo_advertises_starttls_when_a_certificate_is_configured()
    {
        await using var server = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.SelfSigned);
        await using var client = await server.ConnectAsync(output);

        var keywords = Keywords(await client.CommandAsync("EHLO client.test"));

        Assert.Contains("STARTTLS", keywords);
        Assert.Contains($"SIZE {new SmtpListenerOptions().MaxMessageSize}", keywords);
    }

    [Fact]
    public async Task Syntax_errors_and_unknown_commands_are_refused()
    {
        await using var server = await TestServer.StartAsync(output);
        await using var client = await server.ConnectAsync(output);

        await AssertDialogueAsync(client,
            ("EHLO", 501, "5.5.4 Syntax: EHLO hostname"),
            ("FOO bar", 500, "5.5.2 Error: command not recognized"),
            ("EXPN staff", 502, "5.5.1 Error: command not implemented"),
            ("EHLO client.test", 250, null),
            ("MAIL TO:<a@client.test>", 501, "5.5.4 Syntax: MAIL FROM:<address>"),
            ("MAIL FROM:<a@@b>", 501, "5.1.7 <a@@b>: Bad sender address syntax"),
            ("MAIL FROM:<a@client.test> FOO=1", 555, "5.5.4 Unsupported option: FOO"),
            ("MAIL FROM:<a@client.test> BODY=8BITMIME SIZE=100", 250, "2.1.0 Ok"),
            ("RCPT TO:<no-domain@>", 501, "5.1.3 <no-domain@>: Bad recipient address syntax"),
            ("RCPT TO:<postmaster>", 250, "2.1.5 Ok"),
            ("VRFY someone", 252, "2.5.2 Cannot VRFY user, but will accept message and attempt delivery"),
            ("NOOP", 250, "2.0.0 Ok"),
            ("HELP", 214, null),
            ("DATA now", 501, "5.5.4 Syntax: DATA"));
    }

    [Fact]
    public async Task Over_long_command_line_gets_500_5_5_2_and_the_session_goes_on()
    {
        await using var server = await TestServer.StartAsync(output);
        await using var client = await server.ConnectAsync(output);

        // 1 MB without a line end: must be skipped while streaming, not buffered.
        await client.SendAsync("EHLO " + new string('a', 1024 * 1024) + "\r\n");
        AssertReply(500, "5.5.2 Error: line too long", await client.ReadReplyAsync());
        AssertReply(250, null, await client.CommandAsync("EHLO client.test"));
        AssertReply(500, "5.5.2 Error: line too long", await client.CommandAsync("MAIL FROM:<" + new string('a', 520) + "@client.test>"));
        AssertReply(250, "2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@client.test>"));
    }

    [Fact]
    public async Task Declared_size_over_the_limit_gets_552_5_3_4()
    {
        await using var server = await TestServer.StartAsync(output, o => o.MaxMessageSize = 1000);
        await using var client = await server.ConnectAsync(output);

        await client.CommandAsync("EHLO client.test");
        AssertReply(552, "5.3.4 Error: message file too big", await client.CommandAsync("MAIL FROM:<a@client.test> SIZE=1001"));
        AssertReply(250, "2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@client.test> SIZE=1000"));
    }

    [Fact]
    public async Task Too_big_message_is_read_to_its_end_refused_and_the_session_goes_on()
    {
        await using var server = await TestServer.StartAsync(output, o => o.MaxMessageSize = 1000);
        await using var client = await server.OpenDataAsync(output);

        await client.SendAsync(string.Concat(Enumerable.Repeat(new string('x', 98) + "\r\n", 50)) + ".\r\n");
        AssertReply(552, "5.3.4 Error: message file too big", await client.ReadReplyAsync());
        AssertReply(250, "2.0.0 Ok", await client.CommandAsync("NOOP"));
        Assert.Empty(server.Store.Messages);
    }

    [Fact]
    public async Task Header_section_over_the_limit_is_read_to_its_end_refused_and_the_next_message_is_accepted()
    {
        await using var server = await TestServer.StartAsync(output, o => o.MaxHeaderSize = 2000);
        await using var client = await server.OpenDataAsync(output);

        // One Subject folded over 300 short lines: no line is long, the section is (about 3000 bytes).
        var folded = "Subject: x\r\n" + string.Concat(Enumerable.Repeat(" folded\r\n", 300));
        await client.SendAsync(folded + "\r\nbody\r\n.\r\n");
        AssertReply(552, "5.3.4 Error: message header section too large (limit 2000 bytes)", await client.ReadReplyAsync());
        Assert.Empty(server.Store.Messages);

        // Same session: a small header with a body far over the header limit is fine.
        await AssertDialogueAsync(client,
            ("MAIL FROM:<a@client.test>", 250, "2.1.0 Ok"),
            ("RCPT TO:<a@parley.test>", 250, "2.1.5 Ok"),
            ("DATA", 354, null));
        var body = string.Concat(Enumerable.Repeat(new string('b', 98) + "\r\n", 50));
        await client.SendAsync("Subject: second\r\n\r\n" + body + ".\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal("Subject: second\r\n\r\n" + body, Assert.Single(server.Store.Messages).Content);
    }

    [Fact]
    public async Task Recipients_beyond_the_limit_get_452_4_5_3_and_the_others_get_the_message()
    {
        await using var server = await TestServer.StartAsync(output, o => o.MaxRecipients = 3);
        await using var client = await server.ConnectAsync(output);

        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@client.test>");
        for (var i = 1; i <= 3; i++)
        {
            AssertReply(250, "2.1.5 Ok", await client.CommandAsync($"RCPT TO:<r{i}@parley.test>"));
        }

        AssertReply(452, "4.5.3 Error: too many recipients", await client.CommandAsync("RCPT TO:<r4@parley.test>"));
        await client.CommandAsync("DATA");
        await client.SendAsync("Subject: x\r\n\r\nbody\r\n.\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(["r1@parley.test", "r2@parley.test", "r3@parley.test"], Assert.Single(server.Store.Messages).Envelope.Recipients);
    }

    [Fact]
    public async Task Data_line_over_1000_characters_is_refused()
    {
        await using var server = await TestServer.StartAsync(output);
        await using var client = await server.OpenDataAsync(output);

        await client.SendAsync("Subject: x\r\n\r\n" + new string('y', 999) + "\r\n.\r\n");
        AssertReply(554, "5.6.0 Error: message line longer than 1000 characters", await client.ReadReplyAsync());
        Assert.Empty(server.Store.Messages);
    }

    [Fact]
    public async Task Pipelined_commands_in_one_packet_are_answered_in_order()
    {
        await using var server = await TestServer.StartAsync(output);
        await using var client = await server.ConnectAsync(output);

        await client.SendAsync("EHLO client.test\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<one@parley.test>\r\nRCPT TO:<x@elsewhere.test>\r\nRCPT TO:<two@parley.test>\r\nDATA\r\n");
        await AssertRepliesAsync(client,
            (250, null),
            (250, "2.1.0 Ok"),
            (250, "2.1.5 Ok"),
            (550, "5.7.1 <x@elsewhere.test>: Relay access denied"),
            (250, "2.1.5 Ok"),
            (354, null));
        await client.SendAsync("Subject: p\r\n\r\nbody\r\n.\r\nRSET\r\nMAIL FROM:<>\r\nRCPT TO:<three@parley.test>\r\nDATA\r\n");
        await AssertRepliesAsync(client,
            (250, null),
            (250, "2.0.0 Ok"),
            (250, "2.1.0 Ok"),
            (250, "2.1.5 Ok"),
            (354, null));
        await client.SendAsync("\r\n.\r\nQUIT\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(221, (await client.ReadReplyAsync()).Code);

        Assert.Equal(2, server.Store.Messages.Count);
        Assert.Equal(["one@parley.test", "two@parley.test"], server.Store.Messages.First().Envelope.Recipients);
        Assert.Equal("\r\n", server.Store.Messages.Last().Content);
    }

    [Fact]
    public async Task Non_ascii_addresses_need_smtputf8()
    {
        await using var server = await TestServer.StartAsync(output);
        await using var client = await server.ConnectAsync(output);

        await client.CommandAsync("EHLO client.test");
        await AssertDialogueAsync(client,
            ("MAIL FROM:<josé@client.test>", 553, "5.6.7 Error: non-ASCII sender address needs SMTPUTF8"),
            ("MAIL FROM:<josé@client.test> SMTPUTF8", 250, "2.1.0 Ok"),
            ("RCPT TO:<françois@parley.test>", 250, "2.1.5 Ok"));
        await client.CommandAsync("DATA");
        await client.SendAsync("Subject: héllo\r\n\r\nçà\r\n.\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        var stored = Assert.Single(server.Store.Messages);
        Assert.Equal("josé@client.test", stored.Envelope.MailFrom);
        Assert.Equal("Subject: héllo\r\n\r\nçà\r\n", stored.Content);
        Assert.Contains(" with UTF8SMTP id ", stored.Text);
    }

    [Fact]
    public async Task Too_many_connections_from_one_address_get_421_4_7_0()
    {
        await using var server = await TestServer.StartAsync(output, o => o.MaxConnectionsPerIp = 2);
        await using var first = await server.ConnectAsync(output);
        await using var second = await server.ConnectAsync(output);
        await using var third = await server.ConnectAsync(output, readGreeting: false);

        AssertReply(421, "4.7.0 mx.parley.test Error: too many connections from your address", await third.ReadReplyAsync());
        Assert.True(await third.IsClosedAsync(TimeSpan.FromSeconds(5)));

        await first.CommandAsync("QUIT");
        Assert.True(await first.IsClosedAsync(TimeSpan.FromSeconds(5)));
        await Eventually.UntilAsync(async () =>
        {
            await using var fourth = await server.ConnectAsync(output, readGreeting: false);
            return (await fourth.ReadReplyAsync()).Code == 220;
        }, TimeSpan.FromSeconds(2), "a new connection is greeted with 220 once the first one closed", every: TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public async Task Too_many_errors_end_the_session_with_421()
    {
        await using var server = await TestServer.StartAsync(output, o => o.MaxErrors = 3);
        await using var client = await server.ConnectAsync(output);

        await client.CommandAsync("BAD1");
        await client.CommandAsync("BAD2");
        AssertReply(500, "5.5.2 Error: command not recognized", await client.CommandAsync("BAD3"));
        AssertReply(421, "4.7.0 mx.parley.test Error: too many errors", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Stopping_the_listener_tells_open_sessions_421()
    {
        var server = await TestServer.StartAsync(output);
        await using var client = await server.ConnectAsync(output);
        await client.CommandAsync("EHLO client.test");

        await server.Listener.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        AssertReply(421, "4.3.2 mx.parley.test Service shutting down", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
        await server.DisposeAsync();
    }

    /// <summary>The text of each line of a 250 EHLO reply, without "250-" / "250 ".</summary>
    private static string[] Keywords(RawReply reply)
    {
        Assert.Equal(250, reply.Code);
        return reply.Lines.Select(line => line[4..]).ToArray();
    }

    /// <summary>Sends each command in turn and checks its reply: the code, and the last line's text unless it is null.</summary>
    internal static async Task AssertDialogueAsync(RawSmtpClient client, params (string Command, int Code, string? Text)[] steps)
    {
        foreach (var (command, code, text) in steps)
        {
            AssertReply(code, text, await client.CommandAsync(command));
        }
    }

    /// <summary>Reads the replies to commands already sent (pipelined) and checks them in order.</summary>
    internal static async Task AssertRepliesAsync(RawSmtpClient client, params (int Code, string? Text)[] replies)
    {
        foreach (var (code, text) in replies)
        {
            AssertReply(code, text, await client.ReadReplyAsync());
        }
    }

    internal static void AssertReply(int code, string? text, RawReply reply)
    {
        Assert.Equal(code, reply.Code);
        if (text is not null)
        {
            Assert.Equal($"{code} {text}", reply.Lines[^1]);
        }
    }
}
