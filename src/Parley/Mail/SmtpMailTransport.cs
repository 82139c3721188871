using MimeKit;
using Parley.Core.Outbound;
using Parley.Smtp.Delivery;

namespace Parley.Mail;

/// <summary>Core's delivery seam implemented with Parley.Smtp's pooled MailKit client: a relay, or direct to MX.</summary>
public sealed class SmtpMailTransport(ISmtpDeliveryClient client) : IMailTransport
{
    public async Task<TransportResult> SendAsync(RelayRoute? relay, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken ct)
    {
        var result = relay is null
            ? await client.SendDirectAsync(message, envelopeFrom, recipients, ct)
            : await client.SendAsync(ToEndpoint(relay), message, envelopeFrom, recipients, ct);
        var outcome = result.Outcome switch
        {
            DeliveryOutcome.Sent => TransportOutcome.Sent,
            DeliveryOutcome.PermanentFailure => TransportOutcome.Permanent,
            _ => TransportOutcome.Transient,
        };
        var text = string.IsNullOrEmpty(result.EnhancedStatus) || result.Response.StartsWith(result.EnhancedStatus, StringComparison.Ordinal)
            ? result.Response
            : $"{result.EnhancedStatus} {result.Response}";
        return new TransportResult(outcome, result.StatusCode == 0 ? null : result.StatusCode, text.Trim());
    }

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
