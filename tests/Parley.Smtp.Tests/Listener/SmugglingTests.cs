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
    private static readonly (string Name, string Sequence)[] FakeEnds =
    [
        ("LF.LF", "\n.\n"),
        ("LF.CRLF", "\n.\r\n"),
        ("CR.CR", "\r.\r"),
        ("CRLF.CR", "\r\n.\r"),
        ("CRLF.LF", "\r\n.\n"),
        ("CR.CRLF", "\r.\r\n"),
    ];

    /// <summary>Each fake end mark, sent in one packet and one byte per packet (the parser's state must carry across reads).</summary>
    public static TheoryData<string, string, bool> Sequences()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (name, sequence) in FakeEnds)
        {
            data.Add(name, sequence, false);
            data.Add(name, sequence, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task Fake_end_of_data_does_not_end_the_message_nor_smuggle_a_second_one(string name, string sequence, bool bytePerPacket)
    {
        output.WriteLine($"sequence {name}");
        await using var server = await TestServer.StartAsync(output);
        await using var client = await server.OpenDataAsync(output);

        var packet = Encoding.ASCII.GetBytes(
            "Subject: first\r\n\r\nbody" + sequence +
            "MAIL FROM:<admin@parley.test>\r\nRCPT TO:<victim@parley.test>\r\nDATA\r\nSubject: smuggled\r\n\r\nevil\r\n.\r\n");
        if (bytePerPacket)
        {
            foreach (var b in packet)
            {
                await client.SendAsync([b]);
            }
        }
        else
        {
            await client.SendAsync(packet);
        }

        // Exactly one reply for the whole packet: the refusal at the real end mark. A smuggled MAIL would
        // have been answered before NOOP's 250.
        var reply = await client.ReadReplyAsync();
        AssertReply(550, null, reply);
        Assert.Contains("5.5.2 Error: bare <", reply.Text);
        AssertReply(250, "2.0.0 Ok", await client.CommandAsync("NOOP"));
        Assert.Empty(server.Store.Messages);
    }

    [Fact]
    public async Task Only_crlf_dot_crlf_ends_data_and_a_following_transaction_is_a_real_one()
    {
        await using var server = await TestServer.StartAsync(output);
        await using var client = await server.OpenDataAsync(output);

        await client.SendAsync("Subject: first\r\n\r\n.\r\r\n..\r\n. \r\n.\r\nMAIL FROM:<b@client.test>\r\n");
        Assert.Equal(550, (await client.ReadReplyAsync()).Code); // "\r\r\n" holds a bare CR
        AssertReply(250, "2.1.0 Ok", await client.ReadReplyAsync());
        await client.CommandAsync("RCPT TO:<a@parley.test>");
        await client.CommandAsync("DATA");
        await client.SendAsync("Subject: second\r\n\r\n..\r\n. \r\n.x\r\n.\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal("Subject: second\r\n\r\n.\r\n \r\nx\r\n", Assert.Single(server.Store.Messages).Content);
    }
}
