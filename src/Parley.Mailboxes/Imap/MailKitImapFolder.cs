using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Parley.Core.Fetch;
using IImapFolder = Parley.Core.Fetch.IImapFolder;

namespace Parley.Mailboxes.Imap;

/// <summary>A folder of a <see cref="MailKitImapSession"/>; UIDs are taken within the folder's current UIDVALIDITY.</summary>
internal sealed class MailKitImapFolder(ImapClient client, IMailFolder folder) : IImapFolder
{
    private IMailFolder Folder => folder;

    public Task OpenAsync(bool readWrite, CancellationToken cancellationToken) => folder.OpenAsync(readWrite ? FolderAccess.ReadWrite : FolderAccess.ReadOnly, cancellationToken);

    public uint UidValidity => folder.UidValidity;

    public int Count => folder.Count;

    public async Task<IReadOnlyList<uint>> SearchFromUidAsync(uint first, CancellationToken cancellationToken)
    {
        var range = new UniqueIdRange(Uid(first), UniqueId.MaxValue);
        return Ids(await folder.SearchAsync(SearchQuery.Uids(range), cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<uint>> SearchUnseenAsync(CancellationToken cancellationToken) => Ids(await folder.SearchAsync(SearchQuery.NotSeen, cancellationToken).ConfigureAwait(false));

    public async Task<byte[]> DownloadAsync(uint uid, CancellationToken cancellationToken)
    {
        var stream = await folder.GetStreamAsync(Uid(uid), cancellationToken).ConfigureAwait(false);
        await using var disposesStream = stream.ConfigureAwait(false); // BODY.PEEK[]: does not set \Seen
        return await MessageBytes.ReadAllAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    public Task MarkSeenAsync(uint uid, CancellationToken cancellationToken) => folder.AddFlagsAsync(Uid(uid), MessageFlags.Seen, silent: true, cancellationToken);

    public Task MarkDeletedAsync(uint uid, CancellationToken cancellationToken) =>
        folder.AddFlagsAsync(Uid(uid), MessageFlags.Deleted | MessageFlags.Seen, silent: true, cancellationToken);

    public Task MoveToAsync(uint uid, IImapFolder destination, CancellationToken cancellationToken) =>
        folder.MoveToAsync(Uid(uid), ((MailKitImapFolder)destination).Folder, cancellationToken);

    public Task ExpungeAsync(IReadOnlyList<uint> uids, CancellationToken cancellationToken) =>
        client.Capabilities.HasFlag(ImapCapabilities.UidPlus)
            ? folder.ExpungeAsync(uids.Select(Uid).ToList(), cancellationToken)
            : folder.ExpungeAsync(cancellationToken);

    public async Task IdleAsync(TimeSpan atMost, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        done.CancelAfter(atMost);
        void Arrived(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += Arrived;
        try
        {
            await client.IdleAsync(done.Token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            folder.CountChanged -= Arrived;
        }
    }

    private UniqueId Uid(uint id) => new(folder.UidValidity, id);

    private static List<uint> Ids(IList<UniqueId> uids) => uids.Select(u => u.Id).ToList();
}
