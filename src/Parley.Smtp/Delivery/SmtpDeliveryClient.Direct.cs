using MimeKit;
using Parley.Smtp.Delivery.Mx;
using Parley.Smtp.Delivery.Pool;

namespace Parley.Smtp.Delivery;

public sealed partial class SmtpDeliveryClient
{
    // RFC 5321 §5.1 leaves the number of addresses to try to the client; Postfix tries 5 hosts by default.
    private const int MaxDirectAttempts = 10;

    public async Task<DeliveryResult> SendDirectAsync(MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        Validate(message, recipients);
        var domain = DomainOf(recipients[0]);
        if (domain.Length == 0 || recipients.Any(r => !DomainOf(r).Equals(domain, StringComparison.Ordinal)))
        {
            throw new ArgumentException("Direct delivery takes recipients of one domain per call.", nameof(recipients));
        }

        var resolver = _mx ?? throw new InvalidOperationException(
            "Direct delivery needs an IMxRouteResolver: register delivery with AddParleySmtpDelivery (which adds the DNS resolver).");
        if (Held([domain], recipients) is { } held)
        {
            return held;
        }

        if (await _rateLimiter.WaitAsync([domain], cancellationToken).ConfigureAwait(false) is { } limited)
        {
            return RateLimited(limited, recipients);
        }

        var route = await resolver.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
        if (route.Status != MxRouteStatus.Found)
        {
            var outcome = route.Status == MxRouteStatus.PermanentFailure ? DeliveryOutcome.PermanentFailure : DeliveryOutcome.TransientFailure;
            var noRoute = DeliveryResult.NotAttempted(outcome, route.EnhancedStatus, route.Reason ?? $"No route to {domain}.", recipients);
            LogDelivery(noRoute);
            return noRoute;
        }

        var result = Throttled([domain], await SendToMxHostsAsync(route, message, envelopeFrom, recipients, cancellationToken).ConfigureAwait(false));
        LogDelivery(result);
        return result;
    }

    /// <summary>
    /// Each address of each MX host in order until one takes the transaction. Only a failure to get a session (no
    /// connection, 4xx greeting, TLS or EHLO trouble) moves on; any answer to the transaction itself, and any 5xx, is final.
    /// </summary>
    private async Task<DeliveryResult> SendToMxHostsAsync(
        MxRoute route, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var destination = "mx " + route.Domain;
        var tried = new List<string>();
        DeliveryResult? last = null;
        var tlsOf = await _tls.PlanAsync(route, cancellationToken).ConfigureAwait(false);
        foreach (var (host, address) in route.Hosts.SelectMany(h => h.Addresses.Select(a => (h, a))).Take(MaxDirectAttempts))
        {
            var tls = tlsOf(host);
            if (tls.Skip is not null)
            {
                tried.Add(tls.Skip);
                last = DeliveryResult.NotAttempted(DeliveryOutcome.TransientFailure, "4.7.5", tls.Skip, recipients) with { Host = host.Name };
                continue;
            }

            var port = _options.DirectDeliveryPortOverrides.TryGetValue(host.Name, out var overridden) ? overridden : _options.DirectDeliveryPort;
            // Opportunistic TLS as MTAs do it (RFC 3207 §4.1, RFC 7435): encrypt when offered, accept any certificate;
            // an enforced MTA-STS policy requires STARTTLS and a certificate valid for the MX name.
            var endpoint = new EndpointKey(
                host.Name, address, port, SmtpSecurity.StartTls, null, null, ValidateCertificate: false, TlsOptional: !tls.Enforced,
                LocalName: _options.HeloName, TlsPolicyOf: tls.PolicyOf, TlsEnforced: tls.Enforced);
            var result = await SendPooledAsync(destination, endpoint, message, envelopeFrom, recipients, cancellationToken).ConfigureAwait(false);
            if (!result.FailedBeforeTransaction)
            {
                return result;
            }

            LogNextMx(_logger, route.Domain, host.Name, address.ToString(), result.StatusCode, result.Response);
            tried.Add($"{host.Name} [{address}]: {(result.StatusCode == 0 ? string.Empty : result.StatusCode + " ")}{result.Response}");
            last = result;
        }

        if (tried.Count == 1)
        {
            return last!;
        }

        var summary = $"No MX host of {route.Domain} took the message. " + string.Join("; ", tried);
        return last! with
        {
            Response = summary,
            Recipients = last!.Recipients.Select(r => r with { Response = summary }).ToList(),
        };
    }
}
