using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace Parley.Smtp.Delivery;

/// <summary>
/// MailKit's client, changed to record each RCPT TO reply instead of aborting on the first refused
/// recipient, so one bad address does not fail its co-recipients.
/// </summary>
internal sealed class ParleySmtpClient(IProtocolLogger protocolLogger) : SmtpClient(protocolLogger)
{
    public Dictionary<string, SmtpResponse> RecipientReplies { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Why the server's certificate is not valid for its name, when an MTA-STS policy had it judged.</summary>
    public string? CertificateProblem { get; set; }

    /// <summary>Sends a raw command and returns the reply whatever its code (for connection tests).</summary>
    public Task<SmtpResponse> SendRawCommandAsync(string command, CancellationToken cancellationToken) => SendCommandAsync(command, cancellationToken);

    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        RecipientReplies[mailbox.Address] = response;

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        RecipientReplies[mailbox.Address] = response;

    // Required by MailKit once OnRecipientNotAccepted no longer throws: there is nothing to send DATA for.
    protected override void OnNoRecipientsAccepted(MimeMessage message) => throw new NoRecipientsAcceptedException();
}

internal sealed class NoRecipientsAcceptedException() : Exception("No recipients were accepted by the SMTP server.");
