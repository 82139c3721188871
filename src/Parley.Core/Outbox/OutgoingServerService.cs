using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Settings;
using Parley.Deliverability.Dns;
using Parley.Smtp.Delivery;

namespace Parley.Core.Outbox;

/// <summary>Adds, lists and removes SMTP relays; passwords are encrypted before they are stored.</summary>
public sealed class OutgoingServerService(ParleyDbContext db, SecretProtector secrets, TimeProvider clock)
{
    public Task<List<OutgoingServer>> ListAsync(CancellationToken cancellationToken) =>
        db.OutgoingServers.AsNoTracking().OrderBy(s => s.Priority).ThenBy(s => s.Id).ToListAsync(cancellationToken);

    public async Task<OutgoingServer> CreateAsync(OutgoingServerInput input, CancellationToken cancellationToken)
    {
        var server = new OutgoingServer { Name = "", Host = "", CreatedAt = clock.GetUtcNow() };
        Apply(server, input, keepPassword: false);
        db.OutgoingServers.Add(server);
        await db.SaveChangesAsync(cancellationToken);
        return server;
    }

    public async Task<OutgoingServer> GetAsync(long id, CancellationToken cancellationToken) =>
        await db.OutgoingServers.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new NotFoundException($"Outgoing server {id}");

    public async Task<OutgoingServer> UpdateAsync(long id, OutgoingServerInput input, CancellationToken cancellationToken)
    {
        var server = await db.OutgoingServers.FirstOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new NotFoundException($"Outgoing server {id}");
        // An empty password field in an edit form means "unchanged", not "remove it".
        Apply(server, input, keepPassword: string.IsNullOrEmpty(input.Password));
        await db.SaveChangesAsync(cancellationToken);
        return server;
    }

    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var server = await db.OutgoingServers.FirstOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new NotFoundException($"Outgoing server {id}");
        db.OutgoingServers.Remove(server);
        await db.SaveChangesAsync(cancellationToken);
    }

    public static SmtpSecurity? ParseSecurity(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "none" => SmtpSecurity.None,
        "starttls" => SmtpSecurity.StartTls,
        "tls" or "ssl" => SmtpSecurity.Tls,
        _ => null,
    };

    private void Apply(OutgoingServer server, OutgoingServerInput input, bool keepPassword)
    {
        var errors = new Dictionary<string, string[]>();
        var host = input.Host?.Trim().TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors["name"] = ["Please give the server a name."];
        }

        if (string.IsNullOrEmpty(host) || host.Length > 253 || host.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']')))
        {
            errors["host"] = ["Please enter the server's host name or IP address, like smtp.example.com."];
        }

        if (input.Port is not (>= 1 and <= 65535))
        {
            errors["port"] = ["The port must be a number from 1 to 65535 (usually 587, 465 or 25)."];
        }

        var security = ParseSecurity(input.Security ?? "starttls");
        if (security is null)
        {
            errors["security"] = ["Security must be \"none\", \"starttls\" or \"tls\"."];
        }

        if (!string.IsNullOrEmpty(input.Password) && string.IsNullOrWhiteSpace(input.Username))
        {
            errors["username"] = ["A password needs a username."];
        }

        var filter = NormalizeFilter(input.FromFilter, out var badEntry);
        if (badEntry is not null)
        {
            errors["fromFilter"] = [$"\"{badEntry}\" is neither an email address nor a domain. List addresses and/or domains, separated by commas."];
        }
        // An SPF include is a DNS name, not a host name: labels such as _spf are normal there.
        var spfInclude = string.IsNullOrWhiteSpace(input.SpfInclude) ? null
            : DnsName.TryNormalize(input.SpfInclude.Trim(), out var include) && include.Contains('.') && !include.Any(char.IsWhiteSpace) ? include
            : null;
        if (!string.IsNullOrWhiteSpace(input.SpfInclude) && spfInclude is null)
        {
            errors["spfInclude"] = ["The SPF include must be a domain, such as _spf.provider.example."];
        }

        if (input.Priority is < 0 or > 1000)
        {
            errors["priority"] = ["The priority must be between 0 and 1000 (lower goes first)."];
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        server.FromFilter = filter;
        server.SpfInclude = spfInclude;
        server.ValidateCertificate = input.ValidateCertificate ?? server.ValidateCertificate;
        server.AllowPlainTextLogin = input.AllowPlainTextLogin ?? server.AllowPlainTextLogin;
        server.Name = input.Name!.Trim();
        server.Host = host!;
        server.Port = input.Port!.Value;
        server.Security = security!.Value;
        server.Username = string.IsNullOrWhiteSpace(input.Username) ? null : input.Username.Trim();
        if (!keepPassword || server.Username is null)
        {
            server.ProtectedPassword = secrets.Protect(input.Password);
        }

        server.Priority = input.Priority ?? server.Priority;
    }

    /// <summary>Canonical, comma-separated addresses and domains; reports the first entry that is neither.</summary>
    private static string NormalizeFilter(string? filter, out string? badEntry)
    {
        badEntry = null;
        var entries = new List<string>();
        foreach (var raw in (filter ?? "").Split([',', ';', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var entry = raw.Contains('@') && !raw.StartsWith('@') ? EmailAddress.Normalize(raw) : EmailAddress.NormalizeDomain(raw.TrimStart('@'));
            if (entry is null)
            {
                badEntry ??= raw;
                continue;
            }
            if (!entries.Contains(entry))
            {
                entries.Add(entry);
            }
        }
        return string.Join(", ", entries);
    }
}
