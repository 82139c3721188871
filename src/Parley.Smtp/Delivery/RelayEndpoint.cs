namespace Parley.Smtp.Delivery;

/// <summary>How the connection to a relay or MX is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text, never STARTTLS.</summary>
    None,

    /// <summary>STARTTLS when the server offers it, plain otherwise (opportunistic; typical for MX delivery).</summary>
    StartTls,

    /// <summary>STARTTLS, and fail (transiently) when the server does not offer it.</summary>
    StartTlsRequired,

    /// <summary>TLS from the first byte (implicit TLS, usually port 465).</summary>
    Tls,
}

/// <summary>Where and how to deliver: an outgoing server, or a recipient domain's MX.</summary>
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
