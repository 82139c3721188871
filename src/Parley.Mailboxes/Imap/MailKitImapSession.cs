using MailKit.Net.Imap;
using Parley.Core.Fetch;
using IImapFolder = Parley.Core.Fetch.IImapFolder;

namespace Parley.Mailboxes.Imap;

/// <summary>A logged-in MailKit <see cref="ImapClient"/>.</summary>
internal sealed class MailKitImapSession(ImapClient client) : IImapSession
{
    public bool CanIdle => client.Capabilities.HasFlag(ImapCapabilities.Idle);

    public async Task<IImapFolder> GetFolderAsync(string name, CancellationToken cancellationToken) =>
        new MailKitImapFolder(client, await client.GetFolderAsync(name, cancellationToken).ConfigureAwait(false));

    public Task DisconnectAsync(CancellationToken cancellationToken) => client.DisconnectAsync(quit: true, cancellationToken);

    public void Dispose() => client.Dispose();
}
