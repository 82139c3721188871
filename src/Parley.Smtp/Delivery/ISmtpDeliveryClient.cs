using MimeKit;

namespace Parley.Smtp.Delivery;

/// <summary>Delivers messages to a relay or MX over SMTP, and tests outgoing server settings.</summary>
public interface ISmtpDeliveryClient
{
    /// <summary>
    /// Sends <paramref name="message"/> with the given envelope. Never throws for SMTP or network
    /// failures: they come back as <see cref="DeliveryOutcome.TransientFailure"/> or
    /// <see cref="DeliveryOutcome.PermanentFailure"/>. Throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    /// <param name="envelopeFrom">MAIL FROM address; "" for the null sender (bounces).</param>
    Task<DeliveryResult> SendAsync(
        RelayEndpoint relay, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken ct);

    /// <summary>Connect, EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, RSET and QUIT, without sending a message.</summary>
    Task<ConnectionTestResult> TestConnectionAsync(
        RelayEndpoint relay, string envelopeFrom, string recipient, CancellationToken ct);
}
