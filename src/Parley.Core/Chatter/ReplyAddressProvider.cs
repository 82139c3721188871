using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Common;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Settings;

namespace Parley.Core.Chatter;

/// <summary>Gives the reply and bounce address codecs built on the installation's own key, loading the key once.</summary>
public sealed class ReplyAddressProvider(IServiceScopeFactory scopes)
{
    private TokenSigner? _signer;

    public async Task<ReplyAddress> GetAsync(CancellationToken cancellationToken) => new(await SignerAsync(cancellationToken));

    public async Task<BounceAddress> GetBounceAsync(CancellationToken cancellationToken) => new(await SignerAsync(cancellationToken));

    /// <summary>Signs and checks tokens for other addresses and links (e.g. unsubscribe links).</summary>
    public Task<TokenSigner> GetSignerAsync(CancellationToken cancellationToken) => SignerAsync(cancellationToken);

    public async Task<string> ForAsync(RecordRef record, string aliasDomain, CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken)).For(record, aliasDomain);

    private async Task<TokenSigner> SignerAsync(CancellationToken cancellationToken)
    {
        if (_signer is not null)
        {
            return _signer;
        }

        await using var scope = scopes.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<SecretSettings>().GetOrCreateKeyAsync("reply-token", cancellationToken);
        return _signer = new TokenSigner(key);
    }
}
