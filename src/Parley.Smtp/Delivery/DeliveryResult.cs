namespace Parley.Smtp.Delivery;

public enum DeliveryOutcome
{
    /// <summary>The server accepted the message (for the recipients marked Sent).</summary>
    Sent,

    /// <summary>4xx or no answer (connection refused, dropped, timed out, TLS failed): retry later.</summary>
    TransientFailure,

    /// <summary>5xx: do not retry; show the server's words.</summary>
    PermanentFailure,
}

/// <summary>The step of the SMTP dialogue an outcome came from.</summary>
public enum DeliveryStage
{
    Connect,
    Authenticate,
    MailFrom,
    RcptTo,
    Data,
    Completed,
}

/// <summary>What happened to one recipient.</summary>
/// <param name="StatusCode">The SMTP reply code; 0 when the server gave none (connection failure).</param>
public sealed record RecipientDeliveryResult(
    string Address,
    DeliveryOutcome Outcome,
    int StatusCode,
    string? EnhancedStatus,
    string Response);

/// <summary>
/// The outcome of one delivery attempt, with the server's own reply so that it can be shown to the user.
/// </summary>
/// <param name="Outcome">Sent when at least one recipient got the message; see <see cref="Recipients"/> for each.</param>
/// <param name="StatusCode">The deciding SMTP reply code; 0 when the server gave none.</param>
/// <param name="EnhancedStatus">The RFC 3463 code from the reply text, when the server sent one.</param>
/// <param name="Response">The server's reply text, or what went wrong with the connection.</param>
public sealed record DeliveryResult(
    DeliveryOutcome Outcome,
    int StatusCode,
    string? EnhancedStatus,
    string Response,
    DeliveryStage Stage,
    IReadOnlyList<RecipientDeliveryResult> Recipients)
{
    public bool IsSent => Outcome == DeliveryOutcome.Sent;

    /// <summary>The relay or MX host of the deciding attempt; null when none was tried (DNS failure, rate limit).</summary>
    public string? Host { get; init; }

    /// <summary>
    /// The destination asked to slow down (adaptive throttling): try again after this, instead of the usual retry delays.
    /// With no <see cref="Host"/>, nothing was attempted: Parley held the message back itself.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// No session could be had with <see cref="Host"/> (no connection, a 4xx greeting, TLS, EHLO or login trouble), so
    /// nothing of the message was sent: another server may take it without risk of a duplicate.
    /// </summary>
    public bool FailedBeforeTransaction =>
        Outcome == DeliveryOutcome.TransientFailure && Stage is (DeliveryStage.Connect or DeliveryStage.Authenticate) && Host is not null;

    /// <summary>The reply as people read it: the RFC 3463 code (unless the words already start with it), then the words.</summary>
    public string ReplyText =>
        (string.IsNullOrEmpty(EnhancedStatus) || Response.StartsWith(EnhancedStatus, StringComparison.Ordinal)
            ? Response
            : $"{EnhancedStatus} {Response}").Trim();

    /// <summary>A failure decided before any server spoke (DNS, rate limit, nothing to send): every recipient shares it.</summary>
    public static DeliveryResult NotAttempted(DeliveryOutcome outcome, string? enhancedStatus, string text, IReadOnlyList<string> recipients) =>
        new(outcome, 0, enhancedStatus, text, DeliveryStage.Connect,
            recipients.Select(r => new RecipientDeliveryResult(r, outcome, 0, enhancedStatus, text)).ToList());
}

/// <summary>The outcome of <see cref="ISmtpDeliveryClient.TestConnectionAsync"/>.</summary>
/// <param name="Transcript">The SMTP dialogue, with AUTH secrets redacted, for the admin to read.</param>
public sealed record ConnectionTestResult(
    bool Success,
    DeliveryOutcome Outcome,
    DeliveryStage Stage,
    int StatusCode,
    string? EnhancedStatus,
    string Response,
    bool Secure,
    IReadOnlyList<string> Transcript);
