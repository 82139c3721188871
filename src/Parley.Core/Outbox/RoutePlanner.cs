using Parley.Core.Common;

namespace Parley.Core.Outbox;

/// <summary>How one email leaves: through which relay (or directly to MX) and as which From.</summary>
/// <param name="Relay">Null means direct delivery to the recipient domain's MX.</param>
/// <param name="FromAddress">The From actually used: the author's, or the notifications address when rewritten.</param>
/// <param name="Explanation">One sentence for the chatter: why this route, why this From.</param>
public sealed record RouteDecision(OutgoingServer? Relay, string FromAddress, bool FromRewritten, string Explanation);

/// <summary>
/// Chooses the route of an email the way Odoo's <c>_find_mail_server</c> does, and says why:
/// a relay whose from filter names the author's address, else one naming the author's domain,
/// else one without a filter. With no relay at all Parley delivers directly, as the author when
/// the author's domain is a registered sending domain (it has DKIM keys). When no route may send
/// as the author, From becomes <c>notifications@alias-domain</c>, so DMARC never fails for spoofing.
/// </summary>
public static class RoutePlanner
{
    public const string NotificationsLocalPart = "notifications";

    public static RouteDecision Choose(string authorAddress, IReadOnlyList<OutgoingServer> relaysByPriority, IReadOnlySet<string> sendingDomains, string aliasDomain)
    {
        var asAuthor = Match(authorAddress, relaysByPriority);
        if (asAuthor is not null) return new RouteDecision(asAuthor.Value.Relay, authorAddress, false, asAuthor.Value.Why);

        var authorDomain = EmailAddress.DomainOf(authorAddress);
        if (relaysByPriority.Count == 0 && sendingDomains.Contains(authorDomain))
            return new RouteDecision(null, authorAddress, false,
                $"Delivered directly to the recipient's mail server (no relay is configured), signed with {authorDomain}'s DKIM keys.");

        var notifications = $"{NotificationsLocalPart}@{aliasDomain}";
        var reason = relaysByPriority.Count == 0
            ? $"{authorDomain} is not a registered sending domain"
            : $"no relay's from filter allows {authorAddress}";
        var asNotifications = Match(notifications, relaysByPriority);
        if (asNotifications is not null)
            return new RouteDecision(asNotifications.Value.Relay, notifications, true, $"From rewritten to {notifications} because {reason}. {asNotifications.Value.Why}");
        if (relaysByPriority.Count == 0)
            return new RouteDecision(null, notifications, true, $"From rewritten to {notifications} because {reason}. Delivered directly to the recipient's mail server.");
        var first = relaysByPriority[0];
        return new RouteDecision(first, notifications, true,
            $"From rewritten to {notifications} because {reason}; sent via relay \"{first.Name}\", the first by priority, although its from filter does not list {notifications} either.");
    }

    private static (OutgoingServer Relay, string Why)? Match(string address, IReadOnlyList<OutgoingServer> relays)
    {
        var domain = EmailAddress.DomainOf(address);
        foreach (var relay in relays)
            if (Filter(relay).Contains(address, StringComparer.OrdinalIgnoreCase))
                return (relay, $"Sent via relay \"{relay.Name}\" because its from filter lists {address}.");
        foreach (var relay in relays)
            // A stored filter lists a domain bare: OutgoingServerService drops the "@" of "@example.com".
            if (Filter(relay).Any(f => !f.Contains('@') && string.Equals(f, domain, StringComparison.OrdinalIgnoreCase)))
                return (relay, $"Sent via relay \"{relay.Name}\" because its from filter lists the domain {domain}.");
        foreach (var relay in relays)
            if (Filter(relay).Length == 0)
                return (relay, $"Sent via relay \"{relay.Name}\", which may send as any address.");
        return null;
    }

    private static string[] Filter(OutgoingServer relay) =>
        relay.FromFilter.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
