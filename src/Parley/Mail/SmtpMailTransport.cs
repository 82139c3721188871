using MimeKit;
using Parley.Core.Outbound;
using Parley.Smtp.Delivery;

namespace Parley.Mail;

/// <summary>Core's delivery seam implemented with Parley.Smtp's MailKit client.</summary>
public sealed class SmtpMailTransport(ISmtpDeliveryClient client) : IMailTransport
{
    public async Task<TransportResult> SendAsync(RelayRoute route, byte[] rawMime, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken ct)
    {
        using var stream = new MemoryStream(rawMime, writable: false);
        var message = await MimeMessage.LoadAsync(stream, ct);
        var server = route.Server;
        var endpoint = new RelayEndpoint(server.Host, server.Port, server.Security switch
        {
            ServerSecurity.None => SmtpSecurity.None,
            ServerSecurity.StartTls => SmtpSecurity.StartTlsRequired,
            _ => SmtpSecurity.Tls,
        }, server.Username, route.Password, server.ValidateCertificate);
        var result = await client.SendAsync(endpoint, message, envelopeFrom, recipients, ct);
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
}
