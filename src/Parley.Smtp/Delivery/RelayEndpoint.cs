using System.Text.Json.Serialization;

namespace Parley.Smtp.Delivery;

/// <summary>
/// How the connection to an outgoing server is secured, as the admin chose it (stored by name on the server's row).
/// Direct MX delivery always uses opportunistic STARTTLS, which no relay is given.
/// </summary>
public enum SmtpSecurity
{
    /// <summary>Plain text, never STARTTLS.</summary>
    None,

    /// <summary>
    /// STARTTLS, and fail (transiently) when the server does not offer it: falling back to plain text would give the
    /// password and the mail to anyone on the path.
    /// </summary>
    /// <remarks>The API spells it "starttls", as admins write it.</remarks>
    [JsonStringEnumMemberName("starttls")]
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, usually port 465).</summary>
    Tls,
}

/// <summary>Where and how to connect to an outgoing server: what the route planner chose, as the SMTP client takes it.</summary>
/// <param name="ValidateCertificate">False accepts any certificate (self-signed relays); the connection is still encrypted.</param>
/// <param name="AllowPlainTextLogin">
/// Log in even when the connection is not encrypted (the admin accepted that anyone on the network path can read the
/// password). Without it, Parley logs in in plain text only to a loopback host.
/// </param>
public sealed record RelayEndpoint(
    string Host,
    int Port,
    SmtpSecurity Security,
    string? Username,
    string? Password,
    bool ValidateCertificate = true,
    bool AllowPlainTextLogin = false)
{
    /// <summary>Without the password, so endpoints can be logged.</summary>
    public override string ToString() =>
        $"{Host}:{Port} ({Security}{(Username is null ? string.Empty : $", user {Username}")})";
}
