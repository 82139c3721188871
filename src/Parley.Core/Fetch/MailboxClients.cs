using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Security;

namespace Parley.Core.Fetch;

/// <summary>Connects and logs in to a fetch account's server, and turns what goes wrong into words for the admin.</summary>
public static class MailboxClients
{
    public static Task<ImapClient> ConnectImapAsync(FetchAccount account, string? password, TimeSpan timeout, CancellationToken ct) =>
        ConnectNewAsync(new ImapClient(), account, password, timeout, ct);

    public static Task<Pop3Client> ConnectPop3Async(FetchAccount account, string? password, TimeSpan timeout, CancellationToken ct) =>
        ConnectNewAsync(new Pop3Client(), account, password, timeout, ct);

    /// <summary>Connects and logs in a fresh client; a client that failed is disposed, not leaked.</summary>
    private static async Task<TClient> ConnectNewAsync<TClient>(TClient client, FetchAccount account, string? password, TimeSpan timeout, CancellationToken ct)
        where TClient : MailService
    {
        try
        {
            await ConnectAsync(client, account, password, timeout, ct);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task ConnectAsync(MailService client, FetchAccount account, string? password, TimeSpan timeout, CancellationToken ct)
    {
        client.Timeout = (int)timeout.TotalMilliseconds;
        if (!account.ValidateCertificate) client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        var options = account.Security switch
        {
            FetchSecurity.Tls => SecureSocketOptions.SslOnConnect,
            FetchSecurity.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(account.Host, account.Port, options, ct);
        var credentials = new System.Net.NetworkCredential(account.Username, password ?? string.Empty);
        // One attempt with the best mechanism offered: trying the same wrong password with every mechanism only
        // earns growing delays from the server (and, on some, an account lock-out).
        var mechanism = Preferred.FirstOrDefault(m => client.AuthenticationMechanisms.Contains(m));
        if (mechanism is not null && SaslMechanism.Create(mechanism, credentials) is { } sasl) await client.AuthenticateAsync(sasl, ct);
        else await client.AuthenticateAsync(credentials, ct);
    }

    private static readonly string[] Preferred = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "LOGIN"];

    /// <summary>A sentence an admin can act on, for the account's "last result".</summary>
    public static string Describe(FetchAccount account, Exception e)
    {
        var server = $"{account.Host}:{account.Port}";
        return e switch
        {
            AuthenticationException a =>
                $"The server {server} refused the user name or password for \"{account.Username}\" ({Trim(a.Message)}).",
            SslHandshakeException s =>
                $"The secure connection to {server} failed: {FirstLine(s.Message)} Check the security setting, or turn off certificate checking for a self-signed server.",
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } =>
                $"Could not connect to {server}: the connection was refused. Check the host, the port and that the server is running.",
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } =>
                $"The host name \"{account.Host}\" could not be found.",
            SocketException so => $"Could not connect to {server}: {so.Message}.",
            TimeoutException or OperationCanceledException => $"The server {server} did not answer in time.",
            FolderNotFoundException f => $"The folder \"{f.FolderName}\" does not exist on {server}.",
            NotSupportedException n => $"{n.Message}",
            ImapCommandException c => $"The IMAP server {server} answered {c.Response}: {Trim(c.ResponseText)}.",
            Pop3CommandException p => $"The POP3 server {server} said: {Trim(p.StatusText)}.",
            ImapProtocolException or Pop3ProtocolException => $"The server {server} broke off the conversation: {Trim(e.Message)}.",
            ServiceNotConnectedException => $"The connection to {server} was closed.",
            InvalidOperationException => e.Message,
            _ => $"Fetching from {server} failed: {Trim(e.Message)}.",
        };
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? text;
        return line.EndsWith('.') ? line : line + ".";
    }

    private static string Trim(string? text)
    {
        text = (text ?? "").Trim().TrimEnd('.');
        return text.Length > 500 ? text[..500] + "…" : text;
    }
}
