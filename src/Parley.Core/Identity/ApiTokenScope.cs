namespace Parley.Core.Identity;

/// <summary>What a token may do: act fully as its user (with that user's role), only read, or only hand in mail.</summary>
public enum ApiTokenScope
{
    /// <summary>Everything its user may do.</summary>
    Full,

    /// <summary>GET and HEAD requests only.</summary>
    Read,

    /// <summary>Only <c>POST /api/v1/inbound/raw</c>, for <c>parley mailgate</c>; only an admin's token may have it.</summary>
    Mailgate,

    /// <summary>Only <c>GET /metrics</c>, for a Prometheus server; only an admin's token may have it.</summary>
    Metrics,
}
