using System.Net;
using Parley.Smtp.Listener;
using Parley.Smtp.Tests.Support;
using static Parley.Smtp.Tests.Listener.ProtocolTests;

namespace Parley.Smtp.Tests.Listener;

/// <summary>Idle connections cannot hold the listener's slots: short idle timeouts, a share kept for new addresses, IPv6 by /64.</summary>
public sealed class ConnectionSlotTests(ITestOutputHelper output)
{
    private static readonly IPAddress OtherLoopback = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task A_client_idle_before_MAIL_is_closed_with_421_4_4_2_after_the_short_idle_timeout()
    {
        await using var server = await StartWithShortIdleTimeoutAsync();
        await using var client = await server.ConnectAsync(output);
        await client.CommandAsync("EHLO client.test");

        var started = DateTime.UtcNow;
        AssertReply(421, "4.4.2 mx.parley.test Error: idle too long, closing connection", await client.ReadReplyAsync(TimeSpan.FromSeconds(10)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_client_in_a_transaction_keeps_the_full_command_timeout()
    {
        await using var server = await StartWithShortIdleTimeoutAsync();
        await using var client = await server.ConnectAsync(output);
        await client.CommandAsync("EHLO client.test");
        AssertReply(250, "2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@client.test>"));

        await Task.Delay(TimeSpan.FromSeconds(1)); // over three idle timeouts, well within the command timeout
        AssertReply(250, "2.1.5 Ok", await client.CommandAsync("RCPT TO:<a@parley.test>"));
    }

    private Task<TestServer> StartWithShortIdleTimeoutAsync() =>
        TestServer.StartAsync(output, o =>
        {
            o.CommandTimeout = TimeSpan.FromMinutes(5);
            o.IdleTimeoutBeforeMail = TimeSpan.FromMilliseconds(300);
        });

    [Fact]
    public async Task The_idle_timeout_shortens_when_more_than_half_the_slots_are_taken()
    {
        await using var server = await TestServer.StartAsync(output, o =>
        {
            o.MaxConnections = 4;
            o.IdleTimeoutBeforeMail = TimeSpan.FromMinutes(1);
            o.IdleTimeoutBeforeMailWhenBusy = TimeSpan.FromMilliseconds(300);
        });
        await using var first = await server.ConnectAsync(output);
        await using var second = await server.ConnectAsync(output);
        await using var third = await server.ConnectAsync(output); // 3 of 4: more than half

        AssertReply(421, "4.4.2 mx.parley.test Error: idle too long, closing connection", await third.ReadReplyAsync(TimeSpan.FromSeconds(10)));
        // The first two came while the listener was not busy; they are not cut short.
        AssertReply(250, null, await first.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task A_new_address_still_gets_a_slot_when_the_others_hold_all_but_the_reserved_share()
    {
        await using var server = await TestServer.StartAsync(output, o =>
        {
            o.MaxConnections = 10;
            o.MaxConnectionsPerIp = 20;
            o.ReservedShareForNewAddresses = 0.1;
        });
        var held = new List<RawSmtpClient>();
        try
        {
            for (var i = 0; i < 9; i++)
            {
                held.Add(await server.ConnectAsync(output));
            }

            await using var tenthFromTheSameAddress = await server.ConnectAsync(output, readGreeting: false);
            AssertReply(421, "4.7.0 mx.parley.test Error: too many connections", await tenthFromTheSameAddress.ReadReplyAsync());
            await using var stranger = await server.ConnectAsync(output, readGreeting: false, from: OtherLoopback);
            AssertReply(220, null, await stranger.ReadReplyAsync());
        }
        finally
        {
            foreach (var client in held)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:eeee:dddd:cccc", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("192.0.2.1", "192.0.2.2", false)]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1", true)]
    public void IPv6_clients_are_counted_per_64_prefix_and_IPv4_per_address(string a, string b, bool same)
    {
        Assert.Equal(same, ConnectionSlots.KeyOf(IPAddress.Parse(a)).Equals(ConnectionSlots.KeyOf(IPAddress.Parse(b))));
    }

    [Fact]
    public async Task Connections_over_IPv6_loopback_share_the_per_address_budget()
    {
        await using var server = await TestServer.StartAsync(output, o =>
        {
            o.Host = "::1";
            o.MaxConnectionsPerIp = 1;
        });
        await using var first = await server.ConnectAsync(output);
        await using var second = await server.ConnectAsync(output, readGreeting: false);

        AssertReply(421, "4.7.0 mx.parley.test Error: too many connections from your address", await second.ReadReplyAsync());
    }
}
