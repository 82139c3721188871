using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Parley.Smtp.Delivery;

/// <summary>
/// <see cref="ISmtpDeliveryClient"/> over MailKit. One connection per call for now; connecting is kept
/// apart from sending (<see cref="ConnectAsync"/>, <see cref="SendOverAsync"/>) so a pool can later keep
/// authenticated connections per <see cref="RelayEndpoint"/> and reuse them.
/// </summary>
public sealed partial class SmtpDeliveryClient(IOptions<SmtpDeliveryOptions> options, ILogger<SmtpDeliveryClient> logger) : ISmtpDeliveryClient
{
    private readonly SmtpDeliveryOptions _options = options.Value;

    public async Task<DeliveryResult> SendAsync(
        RelayEndpoint relay, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(message);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("At least one recipient is required.", nameof(recipients));
        }

        var protocolLog = new RedactingProtocolLogger(logger, keepTranscript: false);
        using var client = CreateClient(relay, protocolLog);
        var stage = DeliveryStage.Connect;
        try
        {
            await ConnectAsync(client, relay, s => stage = s, ct).ConfigureAwait(false);
            stage = DeliveryStage.MailFrom;
            var result = await SendOverAsync(client, message, envelopeFrom, recipients, ct).ConfigureAwait(false);
            await QuitQuietlyAsync(client, ct).ConfigureAwait(false);
            LogDelivery(relay, result);
            return result;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && DeliveryFailure.TryClassify(ex, out var failure))
        {
            stage = ex switch
            {
                SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } => DeliveryStage.MailFrom,
                SmtpCommandException { ErrorCode: SmtpErrorCode.MessageNotAccepted } => DeliveryStage.Data,
                _ when stage == DeliveryStage.MailFrom && client.RecipientReplies.Count > 0 => DeliveryStage.Data,
                _ => stage,
            };
            var result = Failed(failure, stage, recipients, client.RecipientReplies);
            LogDelivery(relay, result);
            return result;
        }
        catch (NoRecipientsAcceptedException)
        {
            var result = AllRecipientsRefused(recipients, client.RecipientReplies);
            LogDelivery(relay, result);
            return result;
        }
        catch (NotSupportedException ex) when (stage == DeliveryStage.Connect)
        {
            // StartTlsRequired and the server offers no STARTTLS: defer, as MTA-STS does (RFC 8461 §5).
            var result = Failed(DeliveryFailure.Transient(ex.Message), stage, recipients, client.RecipientReplies);
            LogDelivery(relay, result);
            return result;
        }
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(
        RelayEndpoint relay, string envelopeFrom, string recipient, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var protocolLog = new RedactingProtocolLogger(logger, keepTranscript: true);
        using var client = CreateClient(relay, protocolLog);
        var stage = DeliveryStage.Connect;
        try
        {
            await ConnectAsync(client, relay, s => stage = s, ct).ConfigureAwait(false);
            stage = DeliveryStage.MailFrom;
            var reply = await client.SendRawCommandAsync($"MAIL FROM:<{envelopeFrom}>", ct).ConfigureAwait(false);
            if ((int)reply.StatusCode is >= 200 and < 300)
            {
                stage = DeliveryStage.RcptTo;
                reply = await client.SendRawCommandAsync($"RCPT TO:<{recipient}>", ct).ConfigureAwait(false);
            }

            var success = (int)reply.StatusCode is >= 200 and < 300;
            if (success)
            {
                stage = DeliveryStage.Completed;
            }

            await client.SendRawCommandAsync("RSET", ct).ConfigureAwait(false);
            await QuitQuietlyAsync(client, ct).ConfigureAwait(false);
            var failure = DeliveryFailure.FromReply((int)reply.StatusCode, reply.Response);
            return new ConnectionTestResult(
                success, success ? DeliveryOutcome.Sent : failure.Outcome, stage, (int)reply.StatusCode,
                failure.EnhancedStatus, reply.Response, client.IsSecure, protocolLog.Transcript);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (DeliveryFailure.TryClassify(ex, out _) || ex is NotSupportedException))
        {
            var failure = DeliveryFailure.TryClassify(ex, out var classified) ? classified : DeliveryFailure.Transient(ex.Message);
            return new ConnectionTestResult(
                false, failure.Outcome, stage, failure.StatusCode, failure.EnhancedStatus, failure.Response,
                client.IsSecure, protocolLog.Transcript);
        }
    }

    private ParleySmtpClient CreateClient(RelayEndpoint relay, RedactingProtocolLogger protocolLog)
    {
        var client = new ParleySmtpClient(protocolLog)
        {
            Timeout = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds),
            CheckCertificateRevocation = _options.CheckCertificateRevocation,
        };
        if (_options.HeloName is { } helo)
        {
            client.LocalDomain = helo;
        }

        if (!relay.ValidateCertificate)
        {
            client.ServerCertificateValidationCallback = static (_, _, _, _) => true;
        }

        return client;
    }

    /// <summary>Connects, secures and authenticates as the endpoint says; reports the stage it is in.</summary>
    internal static async Task ConnectAsync(SmtpClient client, RelayEndpoint relay, Action<DeliveryStage> stage, CancellationToken ct)
    {
        var socketOptions = relay.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTlsWhenAvailable,
            SmtpSecurity.StartTlsRequired => SecureSocketOptions.StartTls,
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            _ => throw new ArgumentOutOfRangeException(nameof(relay), relay.Security, "Unknown SMTP security."),
        };
        stage(DeliveryStage.Connect);
        await client.ConnectAsync(relay.Host, relay.Port, socketOptions, ct).ConfigureAwait(false);
        if (relay.Username is not null)
        {
            stage(DeliveryStage.Authenticate);
            await client.AuthenticateAsync(relay.Username, relay.Password ?? string.Empty, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One transaction over a connected client: MAIL, RCPT (each recorded), DATA.</summary>
    internal static async Task<DeliveryResult> SendOverAsync(
        ParleySmtpClient client, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken ct)
    {
        client.RecipientReplies.Clear();
        var sender = new MailboxAddress(string.Empty, envelopeFrom);
        var mailboxes = recipients.Select(r => new MailboxAddress(string.Empty, r)).ToList();
        var response = await client.SendAsync(FormatOptions.Default, message, sender, mailboxes, ct).ConfigureAwait(false);
        var (enhanced, _) = DeliveryFailure.SplitEnhancedStatus(response);
        var perRecipient = recipients.Select(address =>
        {
            if (client.RecipientReplies.TryGetValue(address, out var reply) && (int)reply.StatusCode >= 300)
            {
                var refused = DeliveryFailure.FromReply((int)reply.StatusCode, reply.Response);
                return new RecipientDeliveryResult(address, refused.Outcome, refused.StatusCode, refused.EnhancedStatus, refused.Response);
            }

            return new RecipientDeliveryResult(address, DeliveryOutcome.Sent, 250, enhanced, response);
        }).ToList();
        return new DeliveryResult(DeliveryOutcome.Sent, 250, enhanced, response, DeliveryStage.Completed, perRecipient);
    }

    private static DeliveryResult Failed(
        DeliveryFailure failure, DeliveryStage stage, IReadOnlyList<string> recipients, IReadOnlyDictionary<string, SmtpResponse> replies)
    {
        // Recipients the server refused keep their own reply; the others share the failure that ended the attempt.
        var perRecipient = recipients.Select(address =>
            replies.TryGetValue(address, out var reply) && (int)reply.StatusCode >= 300
                ? ToRecipient(address, DeliveryFailure.FromReply((int)reply.StatusCode, reply.Response))
                : ToRecipient(address, failure)).ToList();
        return new DeliveryResult(failure.Outcome, failure.StatusCode, failure.EnhancedStatus, failure.Response, stage, perRecipient);
    }

    private static DeliveryResult AllRecipientsRefused(IReadOnlyList<string> recipients, IReadOnlyDictionary<string, SmtpResponse> replies)
    {
        var perRecipient = recipients.Select(address => replies.TryGetValue(address, out var reply)
            ? ToRecipient(address, DeliveryFailure.FromReply((int)reply.StatusCode, reply.Response))
            : ToRecipient(address, DeliveryFailure.Transient("No reply to RCPT TO."))).ToList();
        // Permanent only when every refusal was; one 4xx means a retry may still reach someone.
        var deciding = perRecipient.FirstOrDefault(r => r.Outcome == DeliveryOutcome.TransientFailure) ?? perRecipient[0];
        return new DeliveryResult(deciding.Outcome, deciding.StatusCode, deciding.EnhancedStatus, deciding.Response, DeliveryStage.RcptTo, perRecipient);
    }

    private static RecipientDeliveryResult ToRecipient(string address, DeliveryFailure failure) =>
        new(address, failure.Outcome, failure.StatusCode, failure.EnhancedStatus, failure.Response);

    /// <summary>QUIT after the work is done; a server that hangs up first does not change the outcome.</summary>
    private static async Task QuitQuietlyAsync(SmtpClient client, CancellationToken ct)
    {
        try
        {
            await client.DisconnectAsync(quit: true, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SmtpProtocolException or SmtpCommandException or System.Net.Sockets.SocketException)
        {
            // Already delivered (or already failed); the goodbye is a courtesy.
        }
    }

    private void LogDelivery(RelayEndpoint relay, DeliveryResult result)
    {
        if (result.IsSent)
        {
            Delivered(logger, relay.ToString(), result.Recipients.Count(r => r.Outcome == DeliveryOutcome.Sent), result.Response);
        }
        else
        {
            NotDelivered(logger, relay.ToString(), result.Outcome, result.Stage, result.StatusCode, result.Response);
        }
    }

    [LoggerMessage(2000, LogLevel.Information, "Delivered via {Relay} to {RecipientCount} recipient(s): {Response}")]
    private static partial void Delivered(ILogger logger, string relay, int recipientCount, string response);

    [LoggerMessage(2001, LogLevel.Warning, "Delivery via {Relay} failed ({Outcome}) at {Stage}: {StatusCode} {Response}")]
    private static partial void NotDelivered(ILogger logger, string relay, DeliveryOutcome outcome, DeliveryStage stage, int statusCode, string response);
}
