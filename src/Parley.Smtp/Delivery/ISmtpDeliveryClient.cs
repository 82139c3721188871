using MimeKit;

namespace Parley.Smtp.Delivery;

/// <summary>
/// Delivers messages to a relay or straight to the recipient domain's MX over SMTP, reusing sessions, and tests
/// outgoing server settings. Thread-safe: call it from as many tasks as you like; the per-destination limits of
/// <see cref="SmtpDeliveryOptions"/> bound what goes on the wire.
/// </summary>
public interface ISmtpDeliveryClient
{
    /// <summary>
    /// Sends <paramref name="message"/> through <paramref name="relay"/>. Never throws for SMTP or network
    /// failures: they come back as <see cref="DeliveryOutcome.TransientFailure"/> or
    /// <see cref="DeliveryOutcome.PermanentFailure"/>. Throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    /// <param name="envelopeFrom">MAIL FROM address; "" for the null sender (bounces).</param>
    Task<DeliveryResult> SendAsync(
        RelayEndpoint relay, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken);

    /// <summary>
    /// Sends to the MX hosts of the recipients' domain (RFC 5321 §5.1) on <see cref="SmtpDeliveryOptions.DirectDeliveryPort"/>,
    /// with opportunistic STARTTLS. The next MX is tried when one cannot be reached or answers 4xx before the
    /// transaction; <see cref="DeliveryResult.Host"/> names the MX that answered. Same error contract as <see cref="SendAsync"/>.
    /// </summary>
    /// <param name="recipients">Addresses of one domain; <see cref="ArgumentException"/> otherwise.</param>
    Task<DeliveryResult> SendDirectAsync(MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken);

    /// <summary>
    /// Sends many messages concurrently (at most <see cref="SmtpDeliveryOptions.MaxParallelSends"/> at once) over pooled
    /// sessions; one result per request, in the same order.
    /// </summary>
    Task<IReadOnlyList<DeliveryResult>> SendManyAsync(IReadOnlyList<DeliveryRequest> requests, CancellationToken cancellationToken);

    /// <summary>Connect, EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, RSET and QUIT, without sending a message (never pooled).</summary>
    Task<ConnectionTestResult> TestConnectionAsync(
        RelayEndpoint relay, string envelopeFrom, string recipient, CancellationToken cancellationToken);
}

/// <summary>One message for <see cref="ISmtpDeliveryClient.SendManyAsync"/>.</summary>
/// <param name="Relay">The outgoing server; null delivers directly to the recipients' MX (one domain per request).</param>
public sealed record DeliveryRequest(MimeMessage Message, string EnvelopeFrom, IReadOnlyList<string> Recipients, RelayEndpoint? Relay = null);
