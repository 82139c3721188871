namespace Parley.Smtp.Delivery.Mx;

/// <summary>Finds where mail for a domain goes (RFC 5321 §5.1, RFC 7505).</summary>
public interface IMxRouteResolver
{
    /// <summary>
    /// MX hosts by preference (random order among equal preferences), each with its addresses; the domain's
    /// own A/AAAA when it has no MX. Never throws for DNS problems: they come back as a status.
    /// </summary>
    Task<MxRoute> ResolveAsync(string domain, CancellationToken cancellationToken);
}
