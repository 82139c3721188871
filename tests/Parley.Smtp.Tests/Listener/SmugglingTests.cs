using System.Text;
using Parley.Smtp.Tests.Support;
using static Parley.Smtp.Tests.Listener.ProtocolTests;

namespace Parley.Smtp.Tests.Listener;

/// <summary>
/// SMTP smuggling (SEC Consult, 2023): an end-of-data mark that is not CR LF "." CR LF must neither end the
/// message nor let the rest of the packet be read as a second, smuggled transaction.
/// </summary>
public sealed class SmugglingTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Sequences => new()
    {
        { "LF.LF", "\n.\n" },
        { "LF.CRLF", "\n.\r\n" },
        { "CR.CR", "\r.\r" },
        { "CRLF.CR", "\r\n.\r" },
        { "CRLF.LF", "\r\n.\n" },
        { "CR.CRLF", "\r.\r\n" },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task Fake_end_of_data_does_not_end_the_message_nor_smuggle_a_second_one(string name, string sequence)
    {
        output.WriteLine($"sequence {name}");
        await using var server = await TestServer.StartAsync(output);
        await using var client = await OpenDataAsync(server);

        await client.SendAsync(
            "Subject: first\r\n\r\nbody" + sequence +
            "MAIL FROM:<admin@parley.test>\r\nRCPT TO:<victim@parley.test>\r\nDATA\r\nSubject: smuggled\r\n\r\nevil\r\n.\r\n");

        // Exactly one reply for the whole packet: the refusal at the real end mark. A smuggled MAIL would
        // have been answered before NOOP's 250.
        var reply = await client.ReadReplyAsync();
        AssertReply(550, null, reply);
        Assert.Contains("5.5.2 Error: bare <", reply.Text);
        AssertReply(250, "2.0.0 Ok", await client.CommandAsync("NOOP"));
        Assert.Empty(server.Store.Messages);
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task Fake_end_of_data_split_across_packets_is_still_not_an_end(string name, string sequence)
    {
        output.WriteLine($"sequence {name}");
        await using var server = await TestServer.StartAsync(output);
        await using var client = await OpenDataAsync(server);

        // One byte per send, so the parser's state must carry across reads.
        foreach (var b in Encoding.ASCII.GetBytes("x" + sequence + "MAIL FROM:<a@parley.test>\r\n"))
        {
            await client.SendAsync([b]);
        }

        await client.SendAsync("tail\r\n.\r\n");
        Assert.Equal(550, (await client.ReadReplyAsync()).Code);
        AssertReply(250, "2.0.0 Ok", await client.CommandAsync("NOOP"));
        Assert.Empty(server.Store.Messages);
    }

    [Fact]
    public async Task Only_crlf_dot_crlf_ends_data_and_a_following_transaction_is_a_real_one()
    {
        await using var server = await TestServer.StartAsync(output);
        await using var client = await OpenDataAsync(server);

        await client.SendAsync("Subject: first\r\n\r\n.\r\r\n..\r\n. \r\n.\r\nMAIL FROM:<b@client.test>\r\n");
        Assert.Equal(550, (await client.ReadReplyAsync()).Code); // "\r\r\n" holds a bare CR
        AssertReply(250, "2.1.0 Ok", await client.ReadReplyAsync());
        await client.CommandAsync("RCPT TO:<a@parley.test>");
        await client.CommandAsync("DATA");
        await client.SendAsync("Subject: second\r\n\r\n..\r\n. \r\n.x\r\n.\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal("Subject: second\r\n\r\n.\r\n \r\nx\r\n", Assert.Single(server.Store.Messages).Content);
    }

    private async Task<RawSmtpClient> OpenDataAsync(TestServer server)
    {
        var client = await server.ConnectAsync(output);
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@client.test>");
        await client.CommandAsync("RCPT TO:<a@parley.test>");
        AssertReply(354, null, await client.CommandAsync("DATA"));
        return client;
    }
}
