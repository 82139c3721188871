using Parley.Core.Fetch;
using Parley.Testing;

namespace Parley.Mailboxes.Tests;

/// <summary>A fresh Dovecot (IMAP and POP3 on loopback) with one user, per test.</summary>
public abstract class DovecotMailbox : IAsyncLifetime
{
    protected const string User = "support@mail.test";
    protected const string Password = "s3cret-pass";

    protected DovecotPeer Dovecot { get; private set; } = null!;

    protected IMailboxConnector Connector { get; } = new MailboxConnector();

    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    async Task IAsyncLifetime.InitializeAsync() =>
        Dovecot = await DovecotPeer.StartAsync(new Dictionary<string, string> { [User] = Password });

    async Task IAsyncLifetime.DisposeAsync() => await Dovecot.DisposeAsync();

    protected MailboxServer Imap(string password = Password) => new(Dovecot.Host, Dovecot.ImapPort, FetchSecurity.None, true, User, password);

    protected MailboxServer Pop3(string password = Password) => new(Dovecot.Host, Dovecot.Pop3Port, FetchSecurity.None, true, User, password);

    protected string Deliver(string messageId) => Dovecot.Deliver(User,
        $"From: Ana <ana@customer.test>\nTo: {User}\nSubject: Hello\nMessage-ID: <{messageId}>\n\nHi there.\n");

    protected async Task<(IImapSession Session, IImapFolder Inbox)> OpenInboxAsync()
    {
        var session = await Connector.ConnectImapAsync(Imap(), Timeout, default);
        var inbox = await session.GetFolderAsync("INBOX", default);
        await inbox.OpenAsync(readWrite: true, default);
        return (session, inbox);
    }
}
