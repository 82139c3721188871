using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Parley.Smtp.Delivery.Pool;

namespace Parley.Smtp.Delivery;

/// <summary>The SMTP steps shared by pooled sends and connection tests, and how their failures become results.</summary>
internal static class SmtpTransaction
{
    /// <summary>Connects (to the IP when the endpoint has one, with the host name for TLS), secures and authenticates.</summary>
    public static async Task ConnectAsync(SmtpClient client, EndpointKey endpoint, TimeSpan timeout, Action<DeliveryStage> stage, CancellationToken cancellationToken)
    {
        var socketOptions = endpoint.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => endpoint.TlsOptional ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.StartTls,
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint.Security, "Unknown SMTP security."),
        };
        stage(DeliveryStage.Connect);
        // We open the socket ourselves (MailKit takes it over) to set TCP_NODELAY: MailKit writes a pipelined
        // command batch and the message in separate small writes, and Nagle plus delayed ACKs would stall each
        // transaction on a reused session for ~40 ms.
        var socket = await ConnectSocketAsync(endpoint.Address, endpoint.Host, endpoint.Port, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.ConnectAsync(socket, endpoint.Host, endpoint.Port, socketOptions, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (endpoint.Username is not null)
        {
            stage(DeliveryStage.Authenticate);
            PlainTextLoginRefusedException.ThrowIfUnsafe(client.IsSecure, endpoint);
            await client.AuthenticateAsync(endpoint.Username, endpoint.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One transaction over a connected client: MAIL, RCPT (each recorded), DATA (pipelined by MailKit when offered).</summary>
    public static async Task<DeliveryResult> SendOverAsync(
        ParleySmtpClient client, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        client.RecipientReplies.Clear();
        var sender = new MailboxAddress(string.Empty, envelopeFrom);
        var mailboxes = recipients.Select(r => new MailboxAddress(string.Empty, r)).ToList();
        var response = await client.SendAsync(FormatOptions.Default, message, sender, mailboxes, cancellationToken).ConfigureAwait(false);
        var (enhanced, _) = DeliveryFailure.SplitEnhancedStatus(response);
        var perRecipient = recipients.Select(address =>
        {
            if (client.RecipientReplies.TryGetValue(address, out var reply) && (int)reply.StatusCode >= 300)
            {
                return ToRecipient(address, DeliveryFailure.FromReply((int)reply.StatusCode, reply.Response));
            }

            return new RecipientDeliveryResult(address, DeliveryOutcome.Sent, 250, enhanced, response);
        }).ToList();
        return new DeliveryResult(DeliveryOutcome.Sent, 250, enhanced, response, DeliveryStage.Completed, perRecipient);
    }

    /// <summary>The stage a failed transaction ended in, from what MailKit threw and which replies came.</summary>
    public static DeliveryStage FailedStage(Exception ex, ParleySmtpClient client) => ex switch
    {
        SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } => DeliveryStage.MailFrom,
        SmtpCommandException { ErrorCode: SmtpErrorCode.MessageNotAccepted } => DeliveryStage.Data,
        _ when client.RecipientReplies.Count > 0 => DeliveryStage.Data,
        _ => DeliveryStage.MailFrom,
    };

    /// <summary>The session is unusable: the server hung up, the stream broke, or it said 421 (closing).</summary>
    public static bool BreaksConnection(Exception ex) =>
        ex is not SmtpCommandException || ((SmtpCommandException)ex).StatusCode == SmtpStatusCode.ServiceNotAvailable;

    public static DeliveryResult Failed(
        DeliveryFailure failure, DeliveryStage stage, IReadOnlyList<string> recipients, IReadOnlyDictionary<string, SmtpResponse> replies)
    {
        // Recipients the server refused keep their own reply; the others share the failure that ended the attempt.
        var perRecipient = recipients.Select(address =>
            replies.TryGetValue(address, out var reply) && (int)reply.StatusCode >= 300
                ? ToRecipient(address, DeliveryFailure.FromReply((int)reply.StatusCode, reply.Response))
                : ToRecipient(address, failure)).ToList();
        return new DeliveryResult(failure.Outcome, failure.StatusCode, failure.EnhancedStatus, failure.Response, stage, perRecipient);
    }

    public static DeliveryResult AllRecipientsRefused(IReadOnlyList<string> recipients, IReadOnlyDictionary<string, SmtpResponse> replies)
    {
        var perRecipient = recipients.Select(address => replies.TryGetValue(address, out var reply)
            ? ToRecipient(address, DeliveryFailure.FromReply((int)reply.StatusCode, reply.Response))
            : ToRecipient(address, DeliveryFailure.Transient("No reply to RCPT TO."))).ToList();
        // Permanent only when every refusal was; one 4xx means a retry may still reach someone.
        var deciding = perRecipient.FirstOrDefault(r => r.Outcome == DeliveryOutcome.TransientFailure) ?? perRecipient[0];
        return new DeliveryResult(deciding.Outcome, deciding.StatusCode, deciding.EnhancedStatus, deciding.Response, DeliveryStage.RcptTo, perRecipient);
    }

    public static RecipientDeliveryResult ToRecipient(string address, DeliveryFailure failure) =>
        new(address, failure.Outcome, failure.StatusCode, failure.EnhancedStatus, failure.Response);

    /// <summary>QUIT after the work is done; a server that hangs up first does not change the outcome.</summary>
    public static async Task QuitQuietlyAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SmtpProtocolException or SmtpCommandException or SocketException)
        {
            // Already delivered (or already failed); the goodbye is a courtesy.
        }
    }

    /// <summary>To <paramref name="address"/> when given (direct delivery), else to <paramref name="host"/> resolved by the OS.</summary>
    private static async Task<Socket> ConnectSocketAsync(IPAddress? address, string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Dual-mode when resolving a name, so both IPv4 and IPv6 answers can be tried.
        var socket = address is null
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            if (address is null)
            {
                await socket.ConnectAsync(host, port, limit.Token).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), limit.Token).ConfigureAwait(false);
            }

            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"Connecting to {host}:{port} timed out after {timeout.TotalSeconds:0} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
