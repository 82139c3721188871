using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;

namespace Parley.Core.Settings;

/// <summary>
/// Values the installation generates once and keeps in the database (so every node of a PostgreSQL cluster
/// shares them): the keys that sign reply-address and unsubscribe tokens, the first-run setup code. Keys are stored
/// encrypted with Data Protection (the keys in DATA-DIR/keys), like relay passwords: a copy of the database alone
/// cannot forge a token. A key an older version stored in clear is encrypted the first time it is read, and keeps its value.
/// </summary>
public sealed class SecretSettings(ParleyDbContext db, IDataProtectionProvider protection)
{
    private const string Protected = "dp:";

    private readonly IDataProtector _protector = protection.CreateProtector("Parley.Settings.SecretKey.v1");

    public async Task<byte[]> GetOrCreateKeyAsync(string name, CancellationToken cancellationToken)
    {
        var stored = await GetOrCreateAsync(name, () => Protect(RandomNumberGenerator.GetBytes(32)), cancellationToken);
        return await ReadKeyAsync(KeyFor(name), stored, cancellationToken);
    }

    /// <summary>The value, made with <paramref name="make"/> the first time; every node gets the same one.</summary>
    public async Task<string> GetOrCreateAsync(string name, Func<string> make, CancellationToken cancellationToken)
    {
        var key = KeyFor(name);
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == key, cancellationToken);
        if (row is not null)
        {
            return row.Value;
        }

        var value = make();
        db.Settings.Add(new Setting { Key = key, Value = value });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return value;
        }
        catch (DbUpdateException)
        {
            // Another node created it first: use theirs.
            db.ChangeTracker.Clear();
            row = await db.Settings.AsNoTracking().FirstAsync(s => s.Key == key, cancellationToken);
            return row.Value;
        }
    }

    internal static string KeyFor(string name) => "secret:" + name;

    private async Task<byte[]> ReadKeyAsync(string key, string stored, CancellationToken cancellationToken)
    {
        if (!stored.StartsWith(Protected, StringComparison.Ordinal))
        {
            var clear = Convert.FromBase64String(stored);
            // Only if still in clear: another node may have encrypted it meanwhile (with the same value).
            await db.Settings.Where(s => s.Key == key && s.Value == stored)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Value, Protect(clear)), cancellationToken);
            return clear;
        }
        try
        {
            return _protector.Unprotect(Convert.FromBase64String(stored[Protected.Length..]));
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"The stored key {key} cannot be decrypted: the data-protection keys in the data directory's keys folder are not the ones " +
                "that encrypted it. Restore that folder from the backup taken with the database (every node of a cluster needs the same one).", e);
        }
    }

    private string Protect(byte[] value) => Protected + Convert.ToBase64String(_protector.Protect(value));
}
