using Parley.Core.Outbox;

namespace Parley.Core.Tests.Outbox;

public sealed class RoutePlannerTests
{
    private static readonly HashSet<string> NoSendingDomains = [];

    private static OutgoingServer Relay(string name, int priority, string filter = "") =>
        new() { Name = name, Host = name.ToLowerInvariant() + ".relay.test", Priority = priority, FromFilter = filter };

    [Fact]
    public void Every_relay_that_may_send_as_the_author_is_a_failover_most_specific_filter_first_then_by_priority()
    {
        // By priority, as the outbox loads them.
        OutgoingServer[] relays = [Relay("Domain", 1, "shop.test"), Relay("Any", 5), Relay("Partner", 7, "partner.test"), Relay("Exact", 10, "sam@shop.test"), Relay("Any later", 20)];

        var route = RoutePlanner.Choose("sam@shop.test", relays, NoSendingDomains, "replies.parley.test");

        Assert.False(route.FromRewritten);
        Assert.Equal(["Exact", "Domain", "Any", "Any later"], route.Relays.Select(r => r.Server.Name));
    }

    [Fact]
    public void The_chatter_says_sent_via_only_when_the_email_was_sent_and_names_each_failover()
    {
        var route = RoutePlanner.Choose("sam@shop.test", [Relay("A", 1), Relay("B", 10)], NoSendingDomains, "replies.parley.test");

        Assert.Equal("Sent via relay \"A\", which may send as any address.", route.Describe([], route.Relays[0], sent: true));
        Assert.Equal("Tried relay \"A\", which may send as any address.", route.Describe([], route.Relays[0], sent: false));
        Assert.Equal("Relay \"A\" refused the connection (Connection refused); sent via relay \"B\", which may send as any address.",
            route.Describe(["relay \"A\" refused the connection (Connection refused)"], route.Relays[1], sent: true));
    }

    [Fact]
    public void When_no_relay_may_send_as_anyone_only_the_first_by_priority_tries()
    {
        var route = RoutePlanner.Choose("sam@shop.test", [Relay("A", 1, "other.test"), Relay("B", 10, "else.test")], NoSendingDomains, "replies.parley.test");

        Assert.True(route.FromRewritten);
        Assert.Equal("notifications@replies.parley.test", route.FromAddress);
        Assert.Equal(["A"], route.Relays.Select(r => r.Server.Name));
        Assert.Equal(
            "From rewritten to notifications@replies.parley.test because no relay's from filter allows sam@shop.test. Tried relay \"A\", the first by priority, although its from filter does not list notifications@replies.parley.test either.",
            route.Describe([], route.Relays[0], sent: false));
    }

    [Fact]
    public void Without_relays_a_registered_domain_goes_directly_and_a_deferred_one_does_not_say_delivered()
    {
        var route = RoutePlanner.Choose("sam@shop.test", [], new HashSet<string> { "shop.test" }, "replies.parley.test");

        Assert.Empty(route.Relays);
        Assert.Equal("Delivered directly to the recipient's mail server (no relay is configured), signed with shop.test's DKIM keys.", route.Describe([], null, sent: true));
        Assert.StartsWith("Tried direct delivery", route.Describe([], null, sent: false));
    }
}
