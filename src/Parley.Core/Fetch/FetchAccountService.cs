using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Settings;

namespace Parley.Core.Fetch;

/// <summary>What an admin enters for a mailbox to fetch. An empty password on edit keeps the stored one.</summary>
public sealed record FetchAccountInput(
    string? Name, string? Protocol, string? Host, int? Port, string? Security, string? Username, string? Password,
    string? Folder = null, string? AfterFetch = null, string? MoveToFolder = null, int? IntervalSeconds = null,
    bool? Enabled = null, bool? ValidateCertificate = null);

/// <summary>Adds, changes, lists and removes fetch accounts; passwords are encrypted like relay passwords.</summary>
public sealed class FetchAccountService(ParleyDbContext db, SecretProtector secrets, TimeProvider clock, FetchCoordinator coordinator)
{
    public Task<List<FetchAccount>> ListAsync(CancellationToken cancellationToken) =>
        db.FetchAccounts.AsNoTracking().OrderBy(a => a.Name).ThenBy(a => a.Id).ToListAsync(cancellationToken);

    public async Task<FetchAccount> GetAsync(long id, CancellationToken cancellationToken) =>
        await db.FetchAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new NotFoundException($"Fetch account {id}");

    /// <summary>Messages of the account that could not be stored, newest first.</summary>
    public Task<List<FetchFailure>> FailuresAsync(long? accountId, CancellationToken cancellationToken) =>
        db.FetchFailures.AsNoTracking().Where(f => accountId == null || f.FetchAccountId == accountId)
            .OrderByDescending(f => f.LastAttemptAt).Take(200).ToListAsync(cancellationToken);

    public async Task<FetchAccount> CreateAsync(FetchAccountInput input, CancellationToken cancellationToken)
    {
        var account = new FetchAccount { Name = "", Host = "", Username = "", CreatedAt = clock.GetUtcNow() };
        Apply(account, input, keepPassword: false);
        db.FetchAccounts.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        coordinator.AccountsChanged();
        return account;
    }

    public async Task<FetchAccount> UpdateAsync(long id, FetchAccountInput input, CancellationToken cancellationToken)
    {
        var account = await db.FetchAccounts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new NotFoundException($"Fetch account {id}");
        var before = (account.Host, account.Port, account.Username, account.Folder, account.Protocol);
        Apply(account, input, keepPassword: string.IsNullOrEmpty(input.Password));
        if (before != (account.Host, account.Port, account.Username, account.Folder, account.Protocol))
        {
            // Another mailbox: UIDs recorded for the old one mean nothing there.
            account.UidValidity = null;
            account.LastUid = null;
        }
        await db.SaveChangesAsync(cancellationToken);
        coordinator.AccountsChanged();
        return account;
    }

    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var account = await db.FetchAccounts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new NotFoundException($"Fetch account {id}");
        db.FetchAccounts.Remove(account);
        await db.SaveChangesAsync(cancellationToken);
        coordinator.AccountsChanged();
    }

    private static string ProtocolName(FetchProtocol p) => p == FetchProtocol.Imap ? "imap" : "pop3";

    private void Apply(FetchAccount account, FetchAccountInput input, bool keepPassword)
    {
        var errors = new Dictionary<string, string[]>();
        var protocol = (input.Protocol ?? ProtocolName(account.Protocol)).Trim().ToLowerInvariant() switch
        {
            "imap" => FetchProtocol.Imap,
            "pop3" or "pop" => FetchProtocol.Pop3,
            _ => (FetchProtocol?)null,
        };
        if (protocol is null)
        {
            errors["protocol"] = ["The protocol must be \"imap\" or \"pop3\"."];
        }

        var security = (input.Security ?? "tls").Trim().ToLowerInvariant() switch
        {
            "none" => FetchSecurity.None,
            "starttls" => FetchSecurity.StartTls,
            "tls" or "ssl" => FetchSecurity.Tls,
            _ => (FetchSecurity?)null,
        };
        if (security is null)
        {
            errors["security"] = ["Security must be \"none\", \"starttls\" or \"tls\"."];
        }

        var host = input.Host?.Trim().TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors["name"] = ["Please give the mailbox a name."];
        }

        if (string.IsNullOrEmpty(host) || host.Length > 253 || host.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']')))
        {
            errors["host"] = ["Please enter the mail server's host name or IP address, like imap.example.com."];
        }

        var port = input.Port ?? (protocol, security) switch
        {
            (FetchProtocol.Imap, FetchSecurity.Tls) => 993,
            (FetchProtocol.Imap, _) => 143,
            (FetchProtocol.Pop3, FetchSecurity.Tls) => 995,
            _ => 110,
        };
        if (port is < 1 or > 65535)
        {
            errors["port"] = ["The port must be a number from 1 to 65535 (usually 993 for IMAP, 995 for POP3)."];
        }

        if (string.IsNullOrWhiteSpace(input.Username))
        {
            errors["username"] = ["Please enter the user name of the mailbox."];
        }

        if (!keepPassword && string.IsNullOrEmpty(input.Password) && account.PasswordProtected is null)
        {
            errors["password"] = ["Please enter the mailbox's password."];
        }

        var after = (input.AfterFetch ?? (protocol == FetchProtocol.Pop3 ? "keep" : "markSeen")).Trim().ToLowerInvariant() switch
        {
            "markseen" or "seen" => FetchAfterAction.MarkSeen,
            "move" => FetchAfterAction.Move,
            "delete" => FetchAfterAction.Delete,
            "keep" => FetchAfterAction.Keep,
            _ => (FetchAfterAction?)null,
        };
        if (after is null)
        {
            errors["afterFetch"] = ["After fetching, a message is \"markSeen\", \"move\", \"delete\" or \"keep\"."];
        }
        else if (protocol == FetchProtocol.Pop3 && after is FetchAfterAction.MarkSeen or FetchAfterAction.Move)
        {
            errors["afterFetch"] = ["POP3 can only keep or delete fetched messages."];
        }
        else if (after == FetchAfterAction.Move && string.IsNullOrWhiteSpace(input.MoveToFolder))
        {
            errors["moveToFolder"] = ["Please name the folder fetched messages are moved to."];
        }

        var interval = input.IntervalSeconds ?? FetchOptions.DefaultIntervalSeconds;
        if (interval is < 10 or > 86400)
        {
            errors["intervalSeconds"] = ["The interval must be between 10 seconds and one day (86400)."];
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        account.Name = input.Name!.Trim();
        account.Protocol = protocol!.Value;
        account.Host = host!;
        account.Port = port;
        account.Security = security!.Value;
        account.ValidateCertificate = input.ValidateCertificate ?? account.ValidateCertificate;
        account.Username = input.Username!.Trim();
        if (!keepPassword)
        {
            account.PasswordProtected = secrets.Protect(input.Password);
        }

        account.Folder = string.IsNullOrWhiteSpace(input.Folder) ? "INBOX" : input.Folder.Trim();
        account.AfterFetch = after!.Value;
        account.MoveToFolder = string.IsNullOrWhiteSpace(input.MoveToFolder) ? null : input.MoveToFolder.Trim();
        account.IntervalSeconds = interval;
        account.Enabled = input.Enabled ?? account.Enabled;
    }
}
