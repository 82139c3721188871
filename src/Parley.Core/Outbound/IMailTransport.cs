using MimeKit;
using Parley.Smtp.Delivery;

namespace Parley.Core.Outbound;

/// <summary>A relay as the transport needs it: the stored server with its password decrypted.</summary>
public sealed record RelayRoute(OutgoingServer Server, string? Password);

/// <summary>
/// Hands one message to SMTP: to a relay, or (relay null) directly to the recipients' MX.
/// Implemented by the host on top of Parley.Smtp, so Core knows the queue and not the protocol.
/// Must be safe to call concurrently.
/// </summary>
public interface IMailTransport
{
    Task<DeliveryResult> SendAsync(RelayRoute? relay, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken ct);
}
