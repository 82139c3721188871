using Microsoft.Extensions.Time.Testing;
using Parley.Smtp.Delivery;
using Parley.Smtp.Tests.Support;
using Parley.Testing;

namespace Parley.Smtp.Tests.Delivery.Pool;

/// <summary>
/// Adaptive throttling against smtp-sink answering "421 4.7.0" at RCPT: the domain is left alone for the backoff (its
/// mail held back without a session), the backoff doubles at the next such answer, other domains are not held, and an
/// accepted message lets the domain's mail through again.
/// </summary>
public sealed class ThrottleTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_421_4_7_0_slows_its_domain_down_instead_of_every_message_meeting_it()
    {
        var clock = new FakeTimeProvider(Start);
        await using var busy = await RefusingRcptAsync("421 4.7.0 Too many messages from your IP, slow down", verbose: true);
        await using var client = DeliveryClients.Create(output, o => o.ThrottleBackoff = TimeSpan.FromMinutes(1), time: clock);
        var relay = DeliveryClients.Relay(busy);
        Task<DeliveryResult> Send(string to) => client.SendAsync(relay, DeliveryClientTests.Message(to), "s@parley.test", [to], CancellationToken.None);

        var first = await Send("a@busy.test");
        Assert.Equal((DeliveryOutcome.TransientFailure, 421), (first.Outcome, first.StatusCode));
        Assert.Equal(TimeSpan.FromMinutes(1), first.RetryAfter);
        Assert.NotNull(first.Host);

        // Held back: no session, a local deferral that says why and when.
        var second = await Send("b@busy.test");
        Assert.Equal((DeliveryOutcome.TransientFailure, 0), (second.Outcome, second.StatusCode));
        Assert.Null(second.Host);
        Assert.Equal(TimeSpan.FromMinutes(1), second.RetryAfter);
        Assert.Contains("Parley is slowing down for busy.test, whose server asked it to (4.7.0 Too many messages from your IP, slow down)", second.Response);
        // Another domain still goes to the server (which refuses it too here, and so throttles it as well).
        var other = await Send("c@other.test");
        Assert.NotNull(other.Host);
        // The barrier: smtp-sink logged the later RCPT; the held one never reached it.
        await Eventually.UntilAsync(() => busy.Log, log => log.Contains("c@other.test", StringComparison.Ordinal), TimeSpan.FromSeconds(5),
            "smtp-sink logs the RCPT of the other domain");
        Assert.Contains("a@busy.test", busy.Log);
        Assert.DoesNotContain("b@busy.test", busy.Log);

        // After the backoff one probe goes; a second "slow down" doubles it.
        clock.Advance(TimeSpan.FromMinutes(1));
        var probe = await Send("d@busy.test");
        Assert.NotNull(probe.Host);
        Assert.Equal(TimeSpan.FromMinutes(2), probe.RetryAfter);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null((await Send("e@busy.test")).Host);
    }

    [Fact]
    public async Task An_accepted_message_lets_the_domain_through_again()
    {
        var clock = new FakeTimeProvider(Start);
        await using var busy = await RefusingRcptAsync("421 4.7.0 Try again later");
        await using var open = await SmtpSinkPeer.StartAsync();
        await using var client = DeliveryClients.Create(output, o => o.ThrottleBackoff = TimeSpan.FromSeconds(30), time: clock);
        var busyRelay = DeliveryClients.Relay(busy);
        var openRelay = DeliveryClients.Relay(open);

        Assert.Equal(421, (await client.SendAsync(busyRelay, DeliveryClientTests.Message("1"), "s@parley.test", ["a@busy.test"], CancellationToken.None)).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(30));
        var accepted = await client.SendAsync(openRelay, DeliveryClientTests.Message("2"), "s@parley.test", ["b@busy.test"], CancellationToken.None);
        Assert.True(accepted.IsSent, accepted.Response);
        Assert.Null(accepted.RetryAfter);
        var next = await client.SendAsync(openRelay, DeliveryClientTests.Message("3"), "s@parley.test", ["c@busy.test"], CancellationToken.None);
        Assert.True(next.IsSent, next.Response);
        Assert.Equal(2, (await open.WaitForMessagesAsync(2, TimeSpan.FromSeconds(5))).Count);
    }

    /// <summary>smtp-sink answering every RCPT with <paramref name="reply"/>, as a server that wants its senders to slow down.</summary>
    private static Task<SmtpSinkPeer> RefusingRcptAsync(string reply, bool verbose = false) =>
        SmtpSinkPeer.StartAsync(new SmtpSinkOptions { SoftReject = ["RCPT"], ExtraArguments = ["-b", reply], Verbose = verbose });
}
