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

    public Task OpenAsync(bool readWrite, CancellationToken ct) => folder.OpenAsync(readWrite ? FolderAccess.ReadWrite : FolderAccess.ReadOnly, ct);

    public uint UidValidity => folder.UidValidity;

    public int Count => folder.Count;

    public async Task<IReadOnlyList<uint>> SearchFromUidAsync(uint first, CancellationToken ct)
    {
        var range = new UniqueIdRange(Uid(first), UniqueId.MaxValue);
        return Ids(await folder.SearchAsync(SearchQuery.Uids(range), ct));
    }

    public async Task<IReadOnlyList<uint>> SearchUnseenAsync(CancellationToken ct) => Ids(await folder.SearchAsync(SearchQuery.NotSeen, ct));

    public async Task<byte[]> DownloadAsync(uint uid, CancellationToken ct)
    {
        await using var stream = await folder.GetStreamAsync(Uid(uid), ct); // BODY.PEEK[]: does not set \Seen
        return await MessageBytes.ReadAllAsync(stream, ct);
    }

    public Task MarkSeenAsync(uint uid, CancellationToken ct) => folder.AddFlagsAsync(Uid(uid), MessageFlags.Seen, silent: true, ct);

    public Task MarkDeletedAsync(uint uid, CancellationToken ct) =>
        folder.AddFlagsAsync(Uid(uid), MessageFlags.Deleted | MessageFlags.Seen, silent: true, ct);

    public Task MoveToAsync(uint uid, IImapFolder destination, CancellationToken ct) =>
        folder.MoveToAsync(Uid(uid), ((MailKitImapFolder)destination).Folder, ct);

    public Task ExpungeAsync(IReadOnlyList<uint> uids, CancellationToken ct) =>
        client.Capabilities.HasFlag(ImapCapabilities.UidPlus)
            ? folder.ExpungeAsync(uids.Select(Uid).ToList(), ct)
            : folder.ExpungeAsync(ct);

    public async Task IdleAsync(TimeSpan atMost, CancellationToken ct)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        done.CancelAfter(atMost);
        void Arrived(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += Arrived;
        try
        {
            await client.IdleAsync(done.Token, ct);
        }
        finally
        {
            folder.CountChanged -= Arrived;
        }
    }

    private UniqueId Uid(uint id) => new(folder.UidValidity, id);

    private static List<uint> Ids(IList<UniqueId> uids) => uids.Select(u => u.Id).ToList();
}
