using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;

namespace Parley.Core.Settings;

/// <summary>
/// Random keys the installation generates once and keeps in the database (so every node of a PostgreSQL cluster
/// shares them), e.g. the key that signs reply-address and unsubscribe tokens. Stored encrypted with Data Protection
/// (the keys in DATA-DIR/keys), like relay passwords: a copy of the database alone cannot forge a token. A key an
/// older version stored in clear is encrypted the first time it is read, and keeps its value.
/// </summary>
public sealed class SecretSettings(ParleyDbContext db, IDataProtectionProvider protection)
{
    private const string Protected = "dp:";

    private readonly IDataProtector _protector = protection.CreateProtector("Parley.Settings.SecretKey.v1");

    public async Task<byte[]> GetOrCreateKeyAsync(string name, CancellationToken ct)
    {
        var key = "secret:" + name;
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == key, ct);
        if (row is not null) return await ReadAsync(row, ct);
        var value = RandomNumberGenerator.GetBytes(32);
        db.Settings.Add(new Setting { Key = key, Value = Protect(value) });
        try
        {
            await db.SaveChangesAsync(ct);
            return value;
        }
        catch (DbUpdateException)
        {
            // Another node created it first: use theirs.
            db.ChangeTracker.Clear();
            row = await db.Settings.AsNoTracking().FirstAsync(s => s.Key == key, ct);
            return await ReadAsync(row, ct);
        }
    }

    private async Task<byte[]> ReadAsync(Setting row, CancellationToken ct)
    {
        if (!row.Value.StartsWith(Protected, StringComparison.Ordinal))
        {
            var clear = Convert.FromBase64String(row.Value);
            // Only if still in clear: another node may have encrypted it meanwhile (with the same value).
            await db.Settings.Where(s => s.Key == row.Key && s.Value == row.Value)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Value, Protect(clear)), ct);
            return clear;
        }
        try
        {
            return _protector.Unprotect(Convert.FromBase64String(row.Value[Protected.Length..]));
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"The stored key {row.Key} cannot be decrypted: the data-protection keys in the data directory's keys folder are not the ones " +
                "that encrypted it. Restore that folder from the backup taken with the database (every node of a cluster needs the same one).", e);
        }
    }

    private string Protect(byte[] value) => Protected + Convert.ToBase64String(_protector.Protect(value));
}
