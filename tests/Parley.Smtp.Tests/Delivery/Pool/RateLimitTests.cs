using Microsoft.Extensions.Time.Testing;
using Parley.Smtp.Delivery;
using Parley.Smtp.Delivery.Pool;
using Parley.Smtp.Tests.Support;
using Parley.Testing;

namespace Parley.Smtp.Tests.Delivery.Pool;

/// <summary>Per-domain rate limits on a fake clock.</summary>
public sealed class RateLimitTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Token_bucket_spaces_reservations_at_the_rate_after_the_burst()
    {
        var bucket = new TokenBucket(ratePerSecond: 2, burst: 2, Start);
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(bucket.TryReserve(Start, TimeSpan.FromSeconds(10), out var wait));
            waits.Add(wait);
        }

        Assert.Equal([0, 0, 500, 1000, 1500], waits.Select(w => (int)Math.Round(w.TotalMilliseconds)));
        Assert.False(bucket.TryReserve(Start, TimeSpan.FromSeconds(1), out _));
        Assert.True(bucket.TryReserve(Start + TimeSpan.FromSeconds(3), TimeSpan.Zero, out var later));
        Assert.Equal(TimeSpan.Zero, later);
    }

    [Fact]
    public async Task Messages_to_one_domain_leave_at_the_configured_rate()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var client = OneMessagePerSecondPerDomain(clock, maxWait: TimeSpan.FromSeconds(10));
        var relay = DeliveryClients.Relay(sink);
        var requests = Enumerable.Range(1, 3)
            .Select(i => new DeliveryRequest(DeliveryClientTests.Message($"m{i}"), "s@parley.test", [$"r{i}@customer.test"], relay))
            .ToList();
        // Another domain is not held back by customer.test's bucket.
        requests.Add(new DeliveryRequest(DeliveryClientTests.Message("other"), "s@parley.test", ["x@other.test"], relay));

        var sending = client.SendManyAsync(requests, CancellationToken.None);
        var arrivals = new List<(int Count, TimeSpan At)>();
        for (var step = 0; step < 60 && !sending.IsCompleted; step++)
        {
            await Task.Delay(30);
            var count = sink.ReadMessages().Count;
            arrivals.Add((count, clock.GetUtcNow() - Start));
            // Never more than the burst plus one message per elapsed second (plus the other domain's one).
            Assert.True(count <= 2 + (int)(clock.GetUtcNow() - Start).TotalSeconds, $"{count} messages after {clock.GetUtcNow() - Start}");
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        var results = await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(results, r => Assert.True(r.IsSent, r.Response));
        Assert.True(clock.GetUtcNow() - Start >= TimeSpan.FromSeconds(2), $"three messages took only {clock.GetUtcNow() - Start} of fake time");
        output.WriteLine(string.Join(", ", arrivals.Select(a => $"{a.Count}@{a.At.TotalSeconds:0.0}s")));
    }

    [Fact]
    public async Task A_wait_longer_than_allowed_is_a_transient_failure_at_once()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var client = OneMessagePerSecondPerDomain(clock, maxWait: TimeSpan.Zero);
        var relay = DeliveryClients.Relay(sink);

        var first = await client.SendAsync(relay, DeliveryClientTests.Message("1"), "s@parley.test", ["a@customer.test"], CancellationToken.None);
        var second = await client.SendAsync(relay, DeliveryClientTests.Message("2"), "s@parley.test", ["b@customer.test"], CancellationToken.None);

        Assert.True(first.IsSent, first.Response);
        Assert.Equal((DeliveryOutcome.TransientFailure, "4.7.0", 0), (second.Outcome, second.EnhancedStatus, second.StatusCode));
        Assert.Contains("rate limit", second.Response);
        Assert.Null(second.Host);
        Assert.Single(await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(2)));
    }

    /// <summary>A client allowed one message per second to each domain (burst 1), waiting at most <paramref name="maxWait"/> for its turn.</summary>
    private SmtpDeliveryClient OneMessagePerSecondPerDomain(FakeTimeProvider clock, TimeSpan maxWait) =>
        DeliveryClients.Create(output, o =>
        {
            o.RateLimitPerDomain = 1;
            o.RateLimitBurst = 1;
            o.MaxRateLimitWait = maxWait;
        }, time: clock);
}
