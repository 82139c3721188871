using Parley.Smtp.Delivery;

namespace Parley.Core.Outbox;

/// <summary>An SMTP relay Parley may send through. The password is stored encrypted (Data Protection).</summary>
public sealed class OutgoingServer
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public SmtpSecurity Security { get; set; }
    public string? Username { get; set; }
    public string? ProtectedPassword { get; set; }
    /// <summary>Lower runs first.</summary>
    public int Priority { get; set; } = 10;
    public bool ValidateCertificate { get; set; } = true;
    /// <summary>
    /// Log in even when the connection is not encrypted (security "none", or a relay without STARTTLS): anyone on the
    /// network path can read the password. Off by default; a loopback relay never needs it.
    /// </summary>
    public bool AllowPlainTextLogin { get; set; }
    /// <summary>
    /// Addresses and/or domains this relay may send as, comma-separated (Odoo's from_filter);
    /// empty means any. Parley rewrites From to its notifications address when no route matches.
    /// </summary>
    public string FromFilter { get; set; } = "";
    /// <summary>The relay's SPF include (e.g. <c>_spf.provider.example</c>), for the records Parley suggests.</summary>
    public string? SpfInclude { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Where and how to connect, as the SMTP client takes it; the caller decrypts the password.</summary>
    public RelayEndpoint ToEndpoint(string? password) =>
        new(Host, Port, Security, Username, password, ValidateCertificate, AllowPlainTextLogin);
}
