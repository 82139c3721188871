using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Security;
using Parley.Core.Fetch;
using Parley.Mailboxes.Imap;
using Parley.Mailboxes.Pop3;

namespace Parley.Mailboxes;

/// <summary>Connects and logs in to a fetch account's server with MailKit, and turns what goes wrong into words for the admin.</summary>
public sealed class MailboxConnector : IMailboxConnector
{
    public async Task<IImapSession> ConnectImapAsync(MailboxServer server, TimeSpan commandTimeout, CancellationToken cancellationToken) =>
        new MailKitImapSession(await ConnectNewAsync(new ImapClient(), server, commandTimeout, cancellationToken).ConfigureAwait(false));

    public async Task<IPop3Session> ConnectPop3Async(MailboxServer server, TimeSpan commandTimeout, CancellationToken cancellationToken) =>
        new MailKitPop3Session(await ConnectNewAsync(new Pop3Client(), server, commandTimeout, cancellationToken).ConfigureAwait(false));

    public string Describe(MailboxServer server, Exception error) => MailboxProblems.Describe(server, error);

    /// <summary>Connects and logs in a fresh client; a client that failed is disposed, not leaked.</summary>
    private static async Task<TClient> ConnectNewAsync<TClient>(TClient client, MailboxServer server, TimeSpan timeout, CancellationToken cancellationToken)
        where TClient : MailService
    {
        try
        {
            await ConnectAsync(client, server, timeout, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task ConnectAsync(MailService client, MailboxServer server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        client.Timeout = (int)timeout.TotalMilliseconds;
        if (!server.ValidateCertificate)
        {
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        }

        var options = server.Security switch
        {
            FetchSecurity.Tls => SecureSocketOptions.SslOnConnect,
            FetchSecurity.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(server.Host, server.Port, options, cancellationToken).ConfigureAwait(false);
        var credentials = new System.Net.NetworkCredential(server.Username, server.Password ?? string.Empty);
        // One attempt with the best mechanism offered: trying the same wrong password with every mechanism only
        // earns growing delays from the server (and, on some, an account lock-out).
        var mechanism = Preferred.FirstOrDefault(m => client.AuthenticationMechanisms.Contains(m));
        if (mechanism is not null && SaslMechanism.Create(mechanism, credentials) is { } sasl)
        {
            await client.AuthenticateAsync(sasl, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await client.AuthenticateAsync(credentials, cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly string[] Preferred = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "LOGIN"];
}
