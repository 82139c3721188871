using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Security;
using Parley.Core.Fetch;

namespace Parley.Mailboxes;

/// <summary>What went wrong with a mailbox server, in a sentence an admin can act on.</summary>
internal static class MailboxProblems
{
    public static string Describe(MailboxServer account, Exception e)
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
