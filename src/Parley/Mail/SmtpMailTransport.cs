using MimeKit;
using Parley.Core.Outbound;
using Parley.Smtp.Delivery;

namespace Parley.Mail;

/// <summary>Core's delivery seam implemented with Parley.Smtp's pooled MailKit client: a relay, or direct to MX.</summary>
public sealed class SmtpMailTransport(ISmtpDeliveryClient client) : IMailTransport
{
    public Task<DeliveryResult> SendAsync(RelayRoute? relay, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken ct) =>
        relay is null
            ? client.SendDirectAsync(message, envelopeFrom, recipients, ct)
            : client.SendAsync(ToEndpoint(relay), message, envelopeFrom, recipients, ct);

    /// <summary>A relay configured with STARTTLS requires it: silently falling back to plain text would leak the password.</summary>
    public static RelayEndpoint ToEndpoint(RelayRoute relay)
    {
        var server = relay.Server;
        return new RelayEndpoint(server.Host, server.Port, server.Security switch
        {
            ServerSecurity.None => SmtpSecurity.None,
            ServerSecurity.StartTls => SmtpSecurity.StartTlsRequired,
            _ => SmtpSecurity.Tls,
        }, server.Username, relay.Password, server.ValidateCertificate, server.AllowPlainTextLogin);
    }
}
