using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Settings;

/// <summary>Run-time settings an admin changes in the UI or API.</summary>
public sealed class SettingsService(ParleyDbContext db, ServerName serverName)
{
    public const string AliasDomainKey = "alias-domain";
    public const string HostnameKey = "public-hostname";
    public const string PublicIpKey = "public-ip";

    /// <summary>The domain that catchall@, bounce@ and notifications@ live on; null until an admin sets it.</summary>
    public async Task<string?> GetAliasDomainAsync(CancellationToken cancellationToken) =>
        (await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == AliasDomainKey, cancellationToken))?.Value;

    public async Task<string> SetAliasDomainAsync(string? domain, CancellationToken cancellationToken)
    {
        var value = EmailAddress.NormalizeDomain(domain);
        if (value is null)
        {
            throw new InvalidInputException("domain", "Please enter a domain name such as mail.example.com (letters, digits, dots and hyphens).");
        }

        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == AliasDomainKey, cancellationToken);
        if (row is null)
        {
            db.Settings.Add(new Setting { Key = AliasDomainKey, Value = value! });
        }
        else
        {
            row.Value = value!;
        }

        await db.SaveChangesAsync(cancellationToken);
        return value!;
    }

    /// <summary>
    /// How this server is seen from the internet: the host name (greeting, EHLO, MX target, certificate) and the public
    /// IP (for SPF). Reading it also brings <see cref="ServerName"/> in step, so a name set on another node is used here too.
    /// </summary>
    public async Task<HostSettings> GetHostSettingsAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Settings.AsNoTracking().Where(s => s.Key == HostnameKey || s.Key == PublicIpKey).ToListAsync(cancellationToken);
        var host = new HostSettings(rows.FirstOrDefault(r => r.Key == HostnameKey)?.Value, rows.FirstOrDefault(r => r.Key == PublicIpKey)?.Value);
        serverName.Apply(host.Hostname);
        return host;
    }

    public async Task<HostSettings> SetHostSettingsAsync(string? hostname, string? publicIp, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var host = string.IsNullOrWhiteSpace(hostname) ? null : EmailAddress.NormalizeDomain(hostname);
        if (!string.IsNullOrWhiteSpace(hostname) && host is null)
        {
            errors["hostname"] = ["Please enter a host name such as mail.example.com."];
        }

        var ip = string.IsNullOrWhiteSpace(publicIp) ? null : publicIp.Trim();
        if (ip is not null && !System.Net.IPAddress.TryParse(ip, out _))
        {
            errors["publicIp"] = ["Please enter an IPv4 or IPv6 address such as 203.0.113.7."];
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        await UpsertAsync(HostnameKey, host, cancellationToken);
        await UpsertAsync(PublicIpKey, ip, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        serverName.Apply(host);
        return new HostSettings(host, ip);
    }

    private async Task UpsertAsync(string key, string? value, CancellationToken cancellationToken)
    {
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == key, cancellationToken);
        if (value is null)
        {
            if (row is not null)
            {
                db.Settings.Remove(row);
            }
        }
        else if (row is null)
        {
            db.Settings.Add(new Setting { Key = key, Value = value });
        }
        else
        {
            row.Value = value;
        }
    }
}

public sealed record HostSettings(string? Hostname, string? PublicIp);
