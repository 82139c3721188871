using System.Net.Sockets;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Parley.Smtp.Delivery;

/// <summary>A classified failure: transient or permanent, with the reply the server gave.</summary>
internal readonly partial record struct DeliveryFailure(DeliveryOutcome Outcome, int StatusCode, string? EnhancedStatus, string Response)
{
    /// <summary>
    /// Maps what MailKit throws to an outcome: 4xx and connection-level failures are transient, 5xx
    /// permanent. Returns false for exceptions that are bugs or cancellation, which the caller must let through.
    /// </summary>
    public static bool TryClassify(Exception exception, out DeliveryFailure failure)
    {
        failure = exception switch
        {
            SmtpCommandException command => FromReply((int)command.StatusCode, command.Message),
            // 530: the relay wants AUTH and none is configured; retrying will not change that.
            ServiceNotAuthenticatedException e => new(DeliveryOutcome.PermanentFailure, 530, "5.7.0", e.Message),
            AuthenticationException e => new(DeliveryOutcome.PermanentFailure, 535, "5.7.8", e.Message),
            // Deferred, not failed: once the admin fixes the relay's security, the queued mail goes out by itself.
            PlainTextLoginRefusedException e => new(DeliveryOutcome.TransientFailure, 0, "4.7.0", e.Message),
            SmtpProtocolException e => Transient(e.Message),
            SslHandshakeException e => Transient(e.Message),
            SocketException e => Transient(e.Message),
            IOException e => Transient(e.InnerException is SocketException inner ? inner.Message : e.Message),
            TimeoutException e => Transient(e.Message),
            ServiceNotConnectedException e => Transient(e.Message),
            _ => default,
        };
        return failure.Response is not null;
    }

    /// <summary>An SMTP reply: 5xx permanent, anything else that is not success transient.</summary>
    public static DeliveryFailure FromReply(int statusCode, string text)
    {
        var (enhanced, _) = SplitEnhancedStatus(text);
        var outcome = statusCode is >= 500 and < 600 ? DeliveryOutcome.PermanentFailure : DeliveryOutcome.TransientFailure;
        return new(outcome, statusCode, enhanced, text);
    }

    public static DeliveryFailure Transient(string reason) => new(DeliveryOutcome.TransientFailure, 0, null, reason);

    /// <summary>Splits "5.1.1 User unknown" into the RFC 3463 code and the rest.</summary>
    public static (string? EnhancedStatus, string Text) SplitEnhancedStatus(string text)
    {
        var match = EnhancedStatusPattern().Match(text);
        return match.Success ? (match.Groups[1].Value, text[match.Length..]) : (null, text);
    }

    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedStatusPattern();
}
