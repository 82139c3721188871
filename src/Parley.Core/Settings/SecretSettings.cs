using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;

namespace Parley.Core.Settings;

/// <summary>
/// Random keys the installation generates once and keeps in the database (so every node of a
/// PostgreSQL cluster shares them), e.g. the key that signs reply-address tokens.
/// </summary>
public sealed class SecretSettings(ParleyDbContext db)
{
    public async Task<byte[]> GetOrCreateKeyAsync(string name, CancellationToken ct) =>
        Convert.FromBase64String(await GetOrCreateAsync(name, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ct));

    /// <summary>The secret's value, made with <paramref name="make"/> the first time; every node gets the same one.</summary>
    public async Task<string> GetOrCreateAsync(string name, Func<string> make, CancellationToken ct)
    {
        var key = KeyFor(name);
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == key, ct);
        if (row is not null) return row.Value;
        var value = make();
        db.Settings.Add(new Setting { Key = key, Value = value });
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
            return row.Value;
        }
    }

    internal static string KeyFor(string name) => "secret:" + name;
}
