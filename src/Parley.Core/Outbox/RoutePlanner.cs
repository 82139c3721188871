using Parley.Core.Common;

namespace Parley.Core.Outbox;

/// <summary>A relay the email may leave through, and why (a clause that follows the relay's name).</summary>
/// <param name="Why">" because its from filter lists …", or ", which may send as any address".</param>
public sealed record RelayChoice(OutgoingServer Server, string Why);

/// <summary>How one email leaves: through which relays, in the order to try them (or directly to MX), and as which From.</summary>
/// <param name="Relays">Empty means direct delivery to the recipient domain's MX. After the first, each is a failover.</param>
/// <param name="FromAddress">The From actually used: the author's, or the notifications address when rewritten.</param>
/// <param name="FromNote">Why From was rewritten, as a sentence; null when it was not.</param>
/// <param name="DirectWhy">For direct delivery, the clause after "the recipient's mail server".</param>
public sealed record RouteDecision(
    IReadOnlyList<RelayChoice> Relays, string FromAddress, bool FromRewritten, string? FromNote, string DirectWhy = "")
{
    /// <summary>
    /// The sentence for the chatter, from what happened: the failovers on the way (each already a clause such as
    /// <c>relay "A" refused the connection (…)</c>), then how the email left, or, when it did not, which way it took.
    /// </summary>
    /// <param name="used">The relay of the last attempt (null: direct, or no relay was tried).</param>
    public string Describe(IReadOnlyList<string> failovers, RelayChoice? used, bool sent)
    {
        var how = (used, sent) switch
        {
            ({ } relay, true) => $"Sent via relay \"{relay.Server.Name}\"{relay.Why}.",
            ({ } relay, false) => $"Tried relay \"{relay.Server.Name}\"{relay.Why}.",
            (null, true) => $"Delivered directly to the recipient's mail server{DirectWhy}.",
            (null, false) => $"Tried direct delivery to the recipient's mail server{DirectWhy}.",
        };
        if (failovers.Count > 0)
        {
            how = Capitalized(string.Join("; ", failovers)) + "; " + char.ToLowerInvariant(how[0]) + how[1..];
        }

        return FromNote is null ? how : $"{FromNote} {how}";
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>
/// Chooses the route of an email the way Odoo's <c>_find_mail_server</c> does, and says why:
/// a relay whose from filter names the author's address, else one naming the author's domain,
/// else one without a filter. With no relay at all Parley delivers directly, as the author when
/// the author's domain is a registered sending domain (it has DKIM keys). When no route may send
/// as the author, From becomes <c>notifications@alias-domain</c>, so DMARC never fails for spoofing.
/// Every relay that may send as the chosen From follows the first, in the same order, for failover.
/// </summary>
public static class RoutePlanner
{
    public const string NotificationsLocalPart = "notifications";

    public static RouteDecision Choose(
        string authorAddress, IReadOnlyList<OutgoingServer> relaysByPriority, IReadOnlySet<string> sendingDomains, string aliasDomain)
    {
        var asAuthor = Matches(authorAddress, relaysByPriority);
        if (asAuthor.Count > 0)
        {
            return new RouteDecision(asAuthor, authorAddress, false, null);
        }

        var authorDomain = EmailAddress.DomainOf(authorAddress);
        if (relaysByPriority.Count == 0 && sendingDomains.Contains(authorDomain))
        {
            return new RouteDecision([], authorAddress, false, null, $" (no relay is configured), signed with {authorDomain}'s DKIM keys");
        }

        var notifications = $"{NotificationsLocalPart}@{aliasDomain}";
        var reason = relaysByPriority.Count == 0
            ? $"{authorDomain} is not a registered sending domain"
            : $"no relay's from filter allows {authorAddress}";
        var rewritten = $"From rewritten to {notifications} because {reason}.";
        var asNotifications = Matches(notifications, relaysByPriority);
        if (asNotifications.Count > 0)
        {
            return new RouteDecision(asNotifications, notifications, true, rewritten);
        }

        if (relaysByPriority.Count == 0)
        {
            return new RouteDecision([], notifications, true, rewritten);
        }
        // No relay may send as anyone Parley could write as: the first one still gets to try, and none after it.
        var first = new RelayChoice(relaysByPriority[0], $", the first by priority, although its from filter does not list {notifications} either");
        return new RouteDecision([first], notifications, true, rewritten);
    }

    /// <summary>Relays whose filter lists the address, then those listing its domain, then those without a filter; each by priority.</summary>
    private static List<RelayChoice> Matches(string address, IReadOnlyList<OutgoingServer> relays)
    {
        var domain = EmailAddress.DomainOf(address);
        var choices = new List<RelayChoice>();
        foreach (var relay in relays)
        {
            if (Filter(relay).Contains(address, StringComparer.OrdinalIgnoreCase))
            {
                choices.Add(new RelayChoice(relay, $" because its from filter lists {address}"));
            }
        }
        // A stored filter lists a domain bare: OutgoingServerService drops the "@" of "@example.com".
        foreach (var relay in relays)
        {
            if (choices.All(c => c.Server != relay)
                && Filter(relay).Any(f => !f.Contains('@') && string.Equals(f, domain, StringComparison.OrdinalIgnoreCase)))
            {
                choices.Add(new RelayChoice(relay, $" because its from filter lists the domain {domain}"));
            }
        }

        foreach (var relay in relays)
        {
            if (Filter(relay).Length == 0)
            {
                choices.Add(new RelayChoice(relay, ", which may send as any address"));
            }
        }

        return choices;
    }

    private static string[] Filter(OutgoingServer relay) =>
        relay.FromFilter.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
