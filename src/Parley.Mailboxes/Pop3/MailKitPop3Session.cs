using MailKit.Net.Pop3;
using Parley.Core.Fetch;

namespace Parley.Mailboxes.Pop3;

/// <summary>A logged-in MailKit <see cref="Pop3Client"/>.</summary>
internal sealed class MailKitPop3Session(Pop3Client client) : IPop3Session
{
    public bool HasUidl => client.Capabilities.HasFlag(Pop3Capabilities.UIDL);

    public Task<int> CountAsync(CancellationToken cancellationToken) => client.GetMessageCountAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> UidsAsync(CancellationToken cancellationToken) => (await client.GetMessageUidsAsync(cancellationToken).ConfigureAwait(false)).ToList();

    public async Task<byte[]> DownloadAsync(int index, CancellationToken cancellationToken)
    {
        var stream = await client.GetStreamAsync(index, headersOnly: false, cancellationToken).ConfigureAwait(false);
        await using var disposesStream = stream.ConfigureAwait(false);
        return await MessageBytes.ReadAllAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteAsync(int index, CancellationToken cancellationToken) => client.DeleteMessageAsync(index, cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => client.DisconnectAsync(quit: true, cancellationToken);

    public void Dispose() => client.Dispose();
}
