using MailKit.Net.Pop3;
using Parley.Core.Fetch;

namespace Parley.Mailboxes.Pop3;

/// <summary>A logged-in MailKit <see cref="Pop3Client"/>.</summary>
internal sealed class MailKitPop3Session(Pop3Client client) : IPop3Session
{
    public bool HasUidl => client.Capabilities.HasFlag(Pop3Capabilities.UIDL);

    public Task<int> CountAsync(CancellationToken ct) => client.GetMessageCountAsync(ct);

    public async Task<IReadOnlyList<string>> UidsAsync(CancellationToken ct) => (await client.GetMessageUidsAsync(ct)).ToList();

    public async Task<byte[]> DownloadAsync(int index, CancellationToken ct)
    {
        await using var stream = await client.GetStreamAsync(index, headersOnly: false, ct);
        return await MessageBytes.ReadAllAsync(stream, ct);
    }

    public Task DeleteAsync(int index, CancellationToken ct) => client.DeleteMessageAsync(index, ct);

    public Task DisconnectAsync(CancellationToken ct) => client.DisconnectAsync(quit: true, ct);

    public void Dispose() => client.Dispose();
}
