using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>Hands a built message to Parley's SMTP listener as another mail server would (MailKit's SMTP client).</summary>
public static class MailSender
{
    /// <param name="mailFrom">The envelope sender; without it, MailKit takes the envelope from the headers.</param>
    /// <param name="rcptTo">With <paramref name="mailFrom"/>, the envelope recipients; by default the To addresses.</param>
    /// <param name="helo">The name the client says in EHLO, e.g. the sending domain's MX; by default MailKit's own.</param>
    /// <param name="startTls">True to use STARTTLS (the listener's certificate is accepted as it is).</param>
    public static async Task SendAsync(int port, MimeMessage message, string? mailFrom = null, IEnumerable<string>? rcptTo = null,
        string? helo = null, bool startTls = false)
    {
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        if (helo is not null)
        {
            client.LocalDomain = helo;
        }

        await client.ConnectAsync("127.0.0.1", port, startTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None);
        if (mailFrom is null)
        {
            await client.SendAsync(message);
        }
        else
        {
            await client.SendAsync(message, MailboxAddress.Parse(mailFrom), (rcptTo ?? message.To.Mailboxes.Select(m => m.Address)).Select(MailboxAddress.Parse));
        }

        await client.DisconnectAsync(quit: true);
    }
}
