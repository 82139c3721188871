using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Core.Aliases;

/// <summary>Aliases on the alias domain (<c>support@</c>, <c>sales@</c>…) that start conversations.</summary>
public sealed partial class AliasService(ParleyDbContext db, TimeProvider clock)
{
    private const string ChoosePolicy = "Choose everyone, knownContacts or followers.";

    public Task<List<MailAlias>> ListAsync(CancellationToken cancellationToken) => db.Aliases.AsNoTracking().OrderBy(a => a.LocalPart).ToListAsync(cancellationToken);

    public async Task<MailAlias> CreateAsync(string? localPart, string? recordType, AliasContactPolicy policy, CancellationToken cancellationToken)
    {
        var local = (localPart ?? "").Trim().ToLowerInvariant();
        var errors = new Dictionary<string, string[]>();
        if (local.Length is 0 or > 64 || !LocalPartPattern().IsMatch(local))
        {
            errors["localPart"] = ["Use letters, digits, dots, hyphens or underscores, such as support or sales-eu (at most 64)."];
        }
        else if (Inbound.AliasDomainAddresses.IsReserved(local))
        {
            errors["localPart"] = [$"\"{local}\" is used by Parley itself; choose another name."];
        }

        var type = string.IsNullOrWhiteSpace(recordType) ? RecordDirectory.ContactType : recordType.Trim().ToLowerInvariant();
        // Routing turns the sender into a contact and posts to that contact's thread: no other record type fits.
        if (type != RecordDirectory.ContactType)
        {
            errors["recordType"] = ["Aliases start conversations in contact threads; the record type can only be contact."];
        }

        if (!Enum.IsDefined(policy))
        {
            errors["contactPolicy"] = [ChoosePolicy];
        }

        if (errors.Count == 0 && await db.Aliases.AnyAsync(a => a.LocalPart == local, cancellationToken))
        {
            errors["localPart"] = [$"The alias {local}@ already exists."];
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var alias = new MailAlias { LocalPart = local, RecordType = type, ContactPolicy = policy, CreatedAt = clock.GetUtcNow() };
        db.Aliases.Add(alias);
        await db.SaveChangesAsync(cancellationToken);
        return alias;
    }

    /// <summary>Changes who may start a conversation through the alias.</summary>
    public async Task<MailAlias> SetPolicyAsync(long id, AliasContactPolicy policy, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(policy))
        {
            throw new InvalidInputException("contactPolicy", ChoosePolicy);
        }

        var alias = await db.Aliases.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new NotFoundException($"Alias {id}");
        alias.ContactPolicy = policy;
        await db.SaveChangesAsync(cancellationToken);
        return alias;
    }

    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var alias = await db.Aliases.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new NotFoundException($"Alias {id}");
        db.Aliases.Remove(alias);
        await db.SaveChangesAsync(cancellationToken);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial System.Text.RegularExpressions.Regex LocalPartPattern();
}
