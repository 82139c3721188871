using System.Net;

namespace Parley.Smtp.Listener;

/// <summary>
/// Durable storage for accepted messages. The listener replies 250 only after <see cref="StoreAsync"/>
/// returned <see cref="StoreResult.Stored"/>, so the store must have made the message durable by then.
/// </summary>
public interface IInboundMessageStore
{
    /// <param name="rawMessage">
    /// The message as received: the listener's Received header, then the DATA bytes after dot-unstuffing,
    /// CRLF line endings. Readable once; only valid until the returned task completes.
    /// </param>
    ValueTask<StoreResult> StoreAsync(SmtpEnvelope envelope, Stream rawMessage, CancellationToken cancellationToken);
}

/// <summary>
/// The SMTP envelope of one accepted transaction, as the listener saw it (Parley's host maps it to Core's inbound envelope,
/// in one place).
/// </summary>
public sealed record SmtpEnvelope(
    IPAddress ClientAddress,
    int ClientPort,
    string Helo,
    string MailFrom,
    IReadOnlyList<string> Recipients,
    DateTimeOffset ReceivedAt,
    bool Tls,
    string SessionId);

public enum StoreOutcome
{
    Stored,
    TemporaryFailure,
    PermanentFailure,
}

/// <summary>What the store did with a message; decides the reply to the final dot.</summary>
public sealed record StoreResult(StoreOutcome Outcome, string? QueueId, string? Reason, string EnhancedCode)
{
    /// <summary>Durably stored; <paramref name="queueId"/> appears in the 250 reply.</summary>
    public static StoreResult Stored(string queueId) => new(StoreOutcome.Stored, queueId, null, "2.0.0");

    /// <summary>Not stored now, the client should retry (451 4.3.0).</summary>
    public static StoreResult TemporaryFailure(string reason) => new(StoreOutcome.TemporaryFailure, null, reason, "4.3.0");

    /// <summary>Refused for good (554), e.g. content policy.</summary>
    public static StoreResult Rejected(string reason, string enhancedCode = "5.7.1") =>
        new(StoreOutcome.PermanentFailure, null, reason, enhancedCode);
}
