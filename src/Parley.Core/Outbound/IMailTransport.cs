using MimeKit;

namespace Parley.Core.Outbound;

public enum TransportOutcome { Sent, Transient, Permanent }

/// <summary>The result of one delivery attempt, with the remote server's own code and words.</summary>
public sealed record TransportResult(TransportOutcome Outcome, int? Code, string Text);

/// <summary>A relay as the transport needs it: the stored server with its password decrypted.</summary>
public sealed record RelayRoute(OutgoingServer Server, string? Password);

/// <summary>
/// Hands one message to SMTP: to a relay, or (relay null) directly to the recipients' MX.
/// Implemented by the host on top of Parley.Smtp, so Core knows the queue and not the protocol.
/// Must be safe to call concurrently.
/// </summary>
public interface IMailTransport
{
    Task<TransportResult> SendAsync(RelayRoute? relay, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken ct);
}
