using Microsoft.Extensions.Time.Testing;
using Parley.Smtp.Delivery;
using Parley.Smtp.Tests.Support;
using Parley.Testing;

namespace Parley.Smtp.Tests.Delivery.Pool;

/// <summary>Session reuse, limits and recovery of the pooled client against smtp-sink and Parley's own listener.</summary>
public sealed class ConnectionPoolTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Fifty_concurrent_messages_share_at_most_the_connection_limit_of_sessions()
    {
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { Verbose = true });
        await using var client = DeliveryClients.Create(output, o => o.MaxConnectionsPerDestination = 4, logLevel: Microsoft.Extensions.Logging.LogLevel.Information);
        var requests = Enumerable.Range(1, 50)
            .Select(i => new DeliveryRequest(DeliveryClientTests.Message($"m{i}"), "s@parley.test", [$"r{i}@customer.test"], DeliveryClients.Relay(sink)))
            .ToList();

        var results = await client.SendManyAsync(requests, CancellationToken.None);

        Assert.All(results, r => Assert.True(r.IsSent, r.Response));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"r{i}@customer.test"), results.Select(r => r.Recipients[0].Address));
        var dumped = await sink.WaitForMessagesAsync(50, TimeSpan.FromSeconds(10));
        Assert.Equal(50, dumped.Count);
        Assert.InRange(sink.SessionCount, 1, 4);
        Assert.InRange(client.ConnectionsOpened, 1, 4);
        Assert.True(client.ConnectionsReused >= 46, $"reused {client.ConnectionsReused}");
        output.WriteLine($"sessions at the sink: {sink.SessionCount}, opened: {client.ConnectionsOpened}, reused: {client.ConnectionsReused}");
    }

    [Fact]
    public async Task Client_ports_seen_by_parleys_listener_are_bounded_by_the_limit()
    {
        await using var server = await TestServer.StartAsync(output, logLevel: Microsoft.Extensions.Logging.LogLevel.Information);
        await using var client = DeliveryClients.Create(output, o => o.MaxConnectionsPerDestination = 3, logLevel: Microsoft.Extensions.Logging.LogLevel.Information);
        var relay = DeliveryClients.Relay(server.Port);

        var results = await Task.WhenAll(Enumerable.Range(1, 30).Select(i =>
            client.SendAsync(relay, DeliveryClientTests.Message($"m{i}"), "s@client.test", [$"u{i}@parley.test"], CancellationToken.None)));

        Assert.All(results, r => Assert.True(r.IsSent, r.Response));
        Assert.Equal(30, server.Store.Messages.Count);
        Assert.InRange(server.Store.Messages.Select(m => m.Envelope.ClientPort).Distinct().Count(), 1, 3);
    }

    [Fact]
    public async Task Relay_restart_drops_pooled_sessions_and_the_next_message_is_retried_once_on_a_new_one()
    {
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { Verbose = true });
        await using var client = DeliveryClients.Create(output);
        var results = new List<DeliveryResult>();
        for (var i = 1; i <= 4; i++)
        {
            results.Add(await client.SendAsync(DeliveryClients.Relay(sink), DeliveryClientTests.Message($"before {i}"), "s@parley.test", ["a@customer.test"], CancellationToken.None));
        }

        await sink.WaitForMessagesAsync(4, TimeSpan.FromSeconds(5));
        await sink.RestartAsync();
        for (var i = 1; i <= 4; i++)
        {
            results.Add(await client.SendAsync(DeliveryClients.Relay(sink), DeliveryClientTests.Message($"after {i}"), "s@parley.test", ["a@customer.test"], CancellationToken.None));
        }

        Assert.All(results, r => Assert.True(r.IsSent, r.Response));
        var subjects = (await sink.WaitForMessagesAsync(8, TimeSpan.FromSeconds(5)))
            .Select(m => m.Message.Split('\n').Single(l => l.StartsWith("Subject: ", StringComparison.Ordinal)))
            .ToList();
        // Nothing lost, nothing twice.
        Assert.Equal(8, subjects.Count);
        Assert.Equal(8, subjects.Distinct().Count());
        Assert.Equal(2, client.ConnectionsOpened);
        Assert.Equal(2, sink.SessionCount);
    }

    [Fact]
    public async Task Session_closed_by_the_server_with_421_is_replaced_transparently()
    {
        // Parley's listener answers 421 and hangs up after CommandTimeout of silence: a realistic stale pooled session.
        await using var server = await TestServer.StartAsync(output, o => o.CommandTimeout = TimeSpan.FromMilliseconds(500));
        await using var client = DeliveryClients.Create(output);
        var relay = DeliveryClients.Relay(server.Port);

        var first = await client.SendAsync(relay, DeliveryClientTests.Message("one"), "s@client.test", ["a@parley.test"], CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var second = await client.SendAsync(relay, DeliveryClientTests.Message("two"), "s@client.test", ["a@parley.test"], CancellationToken.None);

        Assert.True(first.IsSent, first.Response);
        Assert.True(second.IsSent, second.Response);
        Assert.Equal(2, server.Store.Messages.Count);
        Assert.Equal(2, client.ConnectionsOpened);
    }

    [Fact]
    public async Task Max_messages_per_connection_rotates_sessions()
    {
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { Verbose = true });
        await using var client = DeliveryClients.Create(output, o => o.MaxMessagesPerConnection = 3);

        for (var i = 0; i < 7; i++)
        {
            var result = await client.SendAsync(DeliveryClients.Relay(sink), DeliveryClientTests.Message($"m{i}"), "s@parley.test", ["a@customer.test"], CancellationToken.None);
            Assert.True(result.IsSent, result.Response);
        }

        Assert.Equal(3, client.ConnectionsOpened);
        await sink.WaitForMessagesAsync(7, TimeSpan.FromSeconds(5));
        Assert.Equal(3, sink.SessionCount);
    }

    [Fact]
    public async Task Idle_sessions_are_closed_after_the_idle_timeout()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { Verbose = true });
        await using var client = DeliveryClients.Create(output, o => o.ConnectionIdleTimeout = TimeSpan.FromSeconds(30), time: clock);

        Assert.True((await client.SendAsync(DeliveryClients.Relay(sink), DeliveryClientTests.Message("a"), "s@parley.test", ["a@customer.test"], CancellationToken.None)).IsSent);
        Assert.Equal(1, client.IdleConnections);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(0, client.IdleConnections);
        Assert.True((await client.SendAsync(DeliveryClients.Relay(sink), DeliveryClientTests.Message("b"), "s@parley.test", ["a@customer.test"], CancellationToken.None)).IsSent);

        Assert.Equal(2, client.ConnectionsOpened);
        await Eventually.UntilAsync(() => sink.Log.Contains("smtp-sink: QUIT", StringComparison.Ordinal), TimeSpan.FromSeconds(5),
            "smtp-sink logs the pool's QUIT", every: TimeSpan.FromMilliseconds(50));
    }

    /// <summary>A refused RCPT (5xx) and a hang-up after the data, each on the session's first transaction.</summary>
    public static TheoryData<string, DeliveryOutcome> FailedTransactions => new()
    {
        { "refuses RCPT", DeliveryOutcome.PermanentFailure },
        { "hangs up after the data", DeliveryOutcome.TransientFailure },
    };

    [Theory]
    [MemberData(nameof(FailedTransactions))]
    public async Task A_failed_transaction_on_a_fresh_session_neither_keeps_it_nor_is_retried(string relay, DeliveryOutcome outcome)
    {
        await using var sink = await SmtpSinkPeer.StartAsync(relay == "refuses RCPT" ? new SmtpSinkOptions { HardReject = ["RCPT"] } : new SmtpSinkOptions { HangUp = ["."] });
        await using var client = DeliveryClients.Create(output);

        var result = await client.SendAsync(DeliveryClients.Relay(sink), DeliveryClientTests.Message("x"), "s@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal("127.0.0.1", result.Host);
        Assert.Equal(0, client.IdleConnections);
        Assert.Equal(1, client.ConnectionsOpened);
    }
}
