using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Records;
using Parley.Core.Settings;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Hosting;

/// <summary>The key that signs reply addresses and unsubscribe links is not readable from the database alone.</summary>
public sealed class SigningKeyStorageTests : IAsyncLifetime
{
    private const string Row = "secret:reply-token";
    private ParleyHost _host = null!;

    public async Task InitializeAsync() => _host = await ParleyHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_signing_key_is_stored_encrypted_not_in_clear()
    {
        var signer = await _host.App.Services.GetRequiredService<ReplyAddressProvider>().GetSignerAsync(default);

        var stored = await StoredValueAsync();
        Assert.StartsWith("dp:", stored);
        // The clear key would sign like the server does; what is stored does not.
        Assert.False(TryKey(stored, out var key) && new TokenSigner(key).Tag("contact:1") == signer.Tag("contact:1"));
        Assert.False(TryKey(stored["dp:".Length..], out key) && new TokenSigner(key).Tag("contact:1") == signer.Tag("contact:1"));
    }

    [Fact]
    public async Task A_key_stored_in_clear_by_an_older_version_is_encrypted_and_its_reply_addresses_still_verify()
    {
        var oldKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        await using (var scope = _host.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            db.Settings.Add(new Setting { Key = Row, Value = Convert.ToBase64String(oldKey) });
            await db.SaveChangesAsync();
        }
        var sentBefore = new ReplyAddress(oldKey).For(new RecordRef("contact", 42), "mail.parley.test");

        byte[] first, second;
        await using (var scope = _host.App.Services.CreateAsyncScope())
        {
            first = await scope.ServiceProvider.GetRequiredService<SecretSettings>().GetOrCreateKeyAsync("reply-token", default);
        }

        var stored = await StoredValueAsync();
        await using (var scope = _host.App.Services.CreateAsyncScope())
        {
            second = await scope.ServiceProvider.GetRequiredService<SecretSettings>().GetOrCreateKeyAsync("reply-token", default);
        }

        Assert.StartsWith("dp:", stored);
        Assert.DoesNotContain(Convert.ToBase64String(oldKey), stored);
        Assert.Equal(new RecordRef("contact", 42), new ReplyAddress(first).Parse(sentBefore));
        Assert.Equal(new RecordRef("contact", 42), new ReplyAddress(second).Parse(sentBefore));
    }

    private async Task<string> StoredValueAsync()
    {
        await using var scope = _host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        return (await db.Settings.AsNoTracking().SingleAsync(s => s.Key == Row)).Value;
    }

    private static bool TryKey(string value, out byte[] key)
    {
        key = new byte[64];
        var ok = Convert.TryFromBase64String(value, key, out var written);
        key = key[..written];
        return ok && written == 32;
    }
}
