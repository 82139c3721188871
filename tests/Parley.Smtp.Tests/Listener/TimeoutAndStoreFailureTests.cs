using Parley.Smtp.Listener;
using Parley.Smtp.Tests.Support;
using Parley.Testing;
using static Parley.Smtp.Tests.Listener.ProtocolTests;

namespace Parley.Smtp.Tests.Listener;

public sealed class TimeoutAndStoreFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Silent_client_gets_421_4_4_2_and_is_disconnected()
    {
        await using var server = await TestServer.StartAsync(output, o => o.CommandTimeout = TimeSpan.FromMilliseconds(300));
        await using var client = await server.ConnectAsync(output);
        await client.CommandAsync("EHLO client.test");

        AssertReply(421, "4.4.2 mx.parley.test Error: timeout exceeded", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Client_stalling_in_data_gets_421_4_4_2_and_nothing_is_stored()
    {
        await using var server = await TestServer.StartAsync(output, o => o.DataTimeout = TimeSpan.FromMilliseconds(300));
        await using var client = await server.ConnectAsync(output);
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@client.test>");
        await client.CommandAsync("RCPT TO:<a@parley.test>");
        await client.CommandAsync("DATA");
        await client.SendAsync("Subject: half a message\r\n");

        AssertReply(421, "4.4.2 mx.parley.test Error: timeout exceeded", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(server.Store.Messages);
    }

    [Fact]
    public async Task Session_time_limit_ends_a_drip_feeding_client()
    {
        await using var server = await TestServer.StartAsync(output, o => o.MaxSessionTime = TimeSpan.FromMilliseconds(500));
        await using var client = await server.ConnectAsync(output);

        var reply = await Eventually.UntilAsync(() => client.CommandAsync("NOOP"), r => r.Code != 250, TimeSpan.FromSeconds(10),
            "the session time limit ends the NOOPs");

        AssertReply(421, "4.4.2 mx.parley.test Error: session time limit exceeded", reply);
    }

    [Fact]
    public async Task Store_that_throws_gives_451_and_the_session_continues()
    {
        await using var server = await TestServer.StartAsync(output);
        var calls = 0;
        server.Store.Behaviour = _ => Interlocked.Increment(ref calls) == 1 ? throw new IOException("disk full") : null;
        await using var client = await server.ConnectAsync(output);
        await client.CommandAsync("EHLO client.test");

        await SendMessageAsync(client);
        AssertReply(451, "4.3.0 Error: queue file write error, try again later", await client.ReadReplyAsync());

        await SendMessageAsync(client);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Single(server.Store.Messages);
    }

    [Fact]
    public async Task Store_results_decide_the_final_reply()
    {
        await using var server = await TestServer.StartAsync(output);
        var answers = new Queue<StoreResult?>([StoreResult.TemporaryFailure("Error: database busy"), StoreResult.Rejected("Error: message refused by policy"), null]);
        server.Store.Behaviour = _ => answers.Dequeue();
        await using var client = await server.ConnectAsync(output);
        await client.CommandAsync("EHLO client.test");

        await SendMessageAsync(client);
        AssertReply(451, "4.3.0 Error: database busy", await client.ReadReplyAsync());
        await SendMessageAsync(client);
        AssertReply(554, "5.7.1 Error: message refused by policy", await client.ReadReplyAsync());
        await SendMessageAsync(client);
        Assert.Matches(@"^250 2\.0\.0 Ok: queued as Q1$", (await client.ReadReplyAsync()).Text);
    }

    private static async Task SendMessageAsync(RawSmtpClient client)
    {
        await client.CommandAsync("MAIL FROM:<a@client.test>");
        await client.CommandAsync("RCPT TO:<a@parley.test>");
        await client.CommandAsync("DATA");
        await client.SendAsync("Subject: s\r\n\r\nbody\r\n.\r\n");
    }
}
