using System.Net;

namespace Parley.Smtp.Delivery.Pool;

/// <summary>
/// What makes two connections interchangeable: where they go and as whom they logged in. The password is part of
/// the key so changed credentials never reuse a session authenticated with the old ones; ToString leaves it out.
/// </summary>
/// <param name="Address">The IP to connect to (direct delivery); null lets MailKit resolve <see cref="Host"/>.</param>
/// <param name="TlsOptional">STARTTLS when offered, plain text otherwise: opportunistic TLS of direct MX delivery.</param>
/// <param name="LocalName">The EHLO name: a session that introduced itself with another name is not reused after a rename.</param>
/// <param name="TlsPolicyOf">Direct delivery under this domain's MTA-STS policy: the certificate is judged (Tls/MxTlsPolicy).</param>
/// <param name="TlsEnforced">With <see cref="TlsPolicyOf"/>: a bad certificate or no STARTTLS ends the attempt (enforce), else it is only counted (testing).</param>
internal readonly record struct EndpointKey(
    string Host, IPAddress? Address, int Port, SmtpSecurity Security, string? Username, string? Password, bool ValidateCertificate,
    bool AllowPlainTextLogin = false, bool TlsOptional = false, string? LocalName = null, string? TlsPolicyOf = null, bool TlsEnforced = false)
{
    public static EndpointKey For(RelayEndpoint relay, IPAddress? address, string? localName) =>
        new(relay.Host.ToLowerInvariant(), address, relay.Port, relay.Security, relay.Username, relay.Password, relay.ValidateCertificate,
            relay.AllowPlainTextLogin, LocalName: localName);

    public override string ToString() =>
        $"{Host}{(Address is null ? string.Empty : $"[{Address}]")}:{Port} ({Security}{(TlsOptional ? " if offered" : string.Empty)}{(Username is null ? string.Empty : $", user {Username}")})";
}
