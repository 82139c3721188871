using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Settings;

/// <summary>Run-time settings an admin changes in the UI or API.</summary>
public sealed class SettingsService(ParleyDbContext db)
{
    public const string AliasDomainKey = "alias-domain";

    /// <summary>The domain that catchall@, bounce@ and notifications@ live on; null until an admin sets it.</summary>
    public async Task<string?> GetAliasDomainAsync(CancellationToken ct) =>
        (await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == AliasDomainKey, ct))?.Value;

    public async Task<string> SetAliasDomainAsync(string? domain, CancellationToken ct)
    {
        var value = domain?.Trim().TrimEnd('.').ToLowerInvariant();
        if (!EmailAddress.IsValidDomain(value))
            throw new InvalidInputException("domain", "Please enter a domain name such as mail.example.com (letters, digits, dots and hyphens).");
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == AliasDomainKey, ct);
        if (row is null) db.Settings.Add(new Setting { Key = AliasDomainKey, Value = value! });
        else row.Value = value!;
        await db.SaveChangesAsync(ct);
        return value!;
    }
}
