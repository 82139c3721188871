using System.Text.Json.Serialization;

namespace Parley.Core.Outbound;

/// <summary>The API spells StartTls "starttls", as the admin writes it (and as Core reads it in <see cref="OutgoingServerService"/>).</summary>
public enum ServerSecurity { None, [JsonStringEnumMemberName("starttls")] StartTls, Tls }

/// <summary>An SMTP relay Parley may send through. The password is stored encrypted (Data Protection).</summary>
public sealed class OutgoingServer
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public ServerSecurity Security { get; set; }
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
}
