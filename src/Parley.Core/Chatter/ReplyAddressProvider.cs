using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Records;
using Parley.Core.Settings;

namespace Parley.Core.Chatter;

/// <summary>Gives a <see cref="ReplyAddress"/> built on the installation's own key, loading the key once.</summary>
public sealed class ReplyAddressProvider(IServiceScopeFactory scopes)
{
    private ReplyAddress? _cached;

    public async Task<ReplyAddress> GetAsync(CancellationToken ct)
    {
        if (_cached is not null) return _cached;
        await using var scope = scopes.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<SecretSettings>().GetOrCreateKeyAsync("reply-token", ct);
        return _cached = new ReplyAddress(key);
    }

    public async Task<string> ForAsync(RecordRef record, string aliasDomain, CancellationToken ct) =>
        (await GetAsync(ct)).For(record, aliasDomain);
}
