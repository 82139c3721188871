using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Core.Contacts;

/// <summary>Create, find, update and search contacts, with the same validation for UI, API and import.</summary>
public sealed class ContactService(ParleyDbContext db, TimeProvider clock)
{
    public Task<Contact> CreateAsync(ContactInput input, CancellationToken cancellationToken) => CreateAsync(input, null, cancellationToken);

    /// <param name="owner">The user adding her, who may delete her later (ADR 0026); null when Parley makes her.</param>
    public async Task<Contact> CreateAsync(ContactInput input, Identity.ActingUser? owner, CancellationToken cancellationToken)
    {
        var valid = Validate(input);
        if (await db.Contacts.AnyAsync(c => c.Email == valid.Email, cancellationToken))
        {
            throw new InvalidInputException("email", $"A contact with the address {valid.Email} already exists.");
        }

        var now = clock.GetUtcNow();
        var contact = NewContact(valid, now);
        contact.OwnerUserId = owner?.Id;
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(cancellationToken);
        return contact;
    }

    public async Task<Contact> UpdateAsync(long id, ContactInput input, CancellationToken cancellationToken)
    {
        var contact = await GetAsync(id, cancellationToken);
        var valid = Validate(input);
        if (await db.Contacts.AnyAsync(c => c.Email == valid.Email && c.Id != id, cancellationToken))
        {
            throw new InvalidInputException("email", $"Another contact already uses {valid.Email}.");
        }

        Apply(contact, valid);
        await db.SaveChangesAsync(cancellationToken);
        return contact;
    }

    public async Task<Contact> GetAsync(long id, CancellationToken cancellationToken) =>
        await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new NotFoundException($"Contact {id}");

    /// <summary>The contacts' names by address (case-insensitive) for those of <paramref name="emails"/> that are contacts.</summary>
    public async Task<Dictionary<string, string>> NamesByEmailAsync(IEnumerable<string?> emails, CancellationToken cancellationToken)
    {
        var normalized = emails.Select(EmailAddress.Normalize).OfType<string>().Distinct().ToList();
        if (normalized.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }

        var found = await db.Contacts.AsNoTracking().Where(c => normalized.Contains(c.Email)).Select(c => new { c.Email, c.Name }).ToListAsync(cancellationToken);
        return found.GroupBy(c => c.Email, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.OrdinalIgnoreCase);
    }

    public Task<Contact?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.Normalize(email);
        return normalized is null ? Task.FromResult<Contact?>(null) : db.Contacts.FirstOrDefaultAsync(c => c.Email == normalized, cancellationToken);
    }

    /// <summary>Searches name, email, company and tags; by name (numbers as numbers).</summary>
    public Task<(List<Contact> Page, int Total)> SearchAsync(string? query, int skip, int take, CancellationToken cancellationToken) =>
        SearchAsync(query, ContactSort.Name, skip, take, cancellationToken);

    /// <summary>Searches name, email, company and tags, in the order asked; the database sorts and pages (stored keys).</summary>
    public async Task<(List<Contact> Page, int Total)> SearchAsync(string? query, ContactSort sort, int skip, int take, CancellationToken cancellationToken)
    {
        IQueryable<Contact> q = db.Contacts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query))
        {
            var term = query.Trim().ToLowerInvariant();
            q = q.Where(c => c.Name.ToLower().Contains(term) || c.Email.Contains(term)
                || (c.Company != null && c.Company.ToLower().Contains(term)) || c.Tags.Contains(term));
        }
        var total = await q.CountAsync(cancellationToken);
        var ordered = sort switch
        {
            ContactSort.Email => q.OrderBy(c => c.EmailSortKey),
            // The latest message of her timeline, else when she was added: a contact without chatter is as new as she is.
            ContactSort.Activity => q.OrderByDescending(c => db.Messages.Where(m => m.RecordType == RecordDirectory.ContactType && m.RecordId == c.Id)
                .Max(m => (DateTimeOffset?)m.CreatedAt) ?? c.CreatedAt),
            _ => q.OrderBy(c => c.NameSortKey),
        };
        var page = await ordered.ThenBy(c => c.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        return (page, total);
    }

    /// <summary>When each of <paramref name="ids"/> last had something in her timeline; absent when nothing yet.</summary>
    public async Task<Dictionary<long, DateTimeOffset>> LastActivityAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var rows = await db.Messages.AsNoTracking().Where(m => m.RecordType == RecordDirectory.ContactType && ids.Contains(m.RecordId))
            .GroupBy(m => m.RecordId).Select(g => new { Id = g.Key, At = g.Max(m => m.CreatedAt) }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => r.At);
    }

    /// <summary>A contact made from checked input, created and updated at <paramref name="now"/>.</summary>
    internal static Contact NewContact(ValidContact valid, DateTimeOffset now)
    {
        // Name and email are required members of a new contact; Apply is the one copy of the input's fields.
        var contact = new Contact { Name = valid.Name, Email = valid.Email, CreatedAt = now, UpdatedAt = now };
        Apply(contact, valid);
        return contact;
    }

    internal static void Apply(Contact contact, ValidContact valid)
    {
        contact.Name = valid.Name;
        contact.Email = valid.Email;
        contact.Company = valid.Company;
        contact.Phone = valid.Phone;
        contact.Tags = valid.Tags;
        contact.Language = valid.Language;
    }

    internal const int MaxTagsLength = 1000;

    internal sealed record ValidContact(string Name, string Email, string? Company, string? Phone, string Tags, string? Language = null);

    /// <summary>Checks every field and reports all problems at once.</summary>
    internal static ValidContact Validate(ContactInput input)
    {
        var errors = new Dictionary<string, string[]>();
        var name = Clean(input.Name);
        var email = EmailAddress.Normalize(input.Email);
        if (name is null)
        {
            errors["name"] = ["Please enter the contact's name."];
        }
        else if (name.Length > 200)
        {
            errors["name"] = ["The name is longer than 200 characters."];
        }

        if (email is null)
        {
            errors["email"] = [string.IsNullOrWhiteSpace(input.Email)
                ? "Please enter the contact's email address."
                : $"\"{input.Email!.Trim()}\" is not a valid email address."];
        }

        var company = Clean(input.Company);
        if (company?.Length > 200)
        {
            errors["company"] = ["The company name is longer than 200 characters."];
        }

        var phone = Clean(input.Phone);
        if (phone?.Length > 64)
        {
            errors["phone"] = ["The phone number is longer than 64 characters."];
        }

        var tags = NormalizeTags(input.Tags);
        if (tags.Length > MaxTagsLength)
        {
            errors["tags"] = [$"There are too many tags ({MaxTagsLength} characters at most)."];
        }

        var language = Clean(input.Language)?.ToLowerInvariant();
        if (language is not null && !LanguageTag.IsValid(language))
        {
            errors["language"] = [$"\"{language}\" is not a language tag: write it like en, fr or pt-br."];
        }
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        return new ValidContact(name!, email!, company, phone, tags, language);
    }

    internal static string NormalizeTags(string? tags) =>
        string.Join(",", (tags ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant()).Distinct());

    /// <summary>Trims, turns control characters (which have no place in a name) into spaces, and maps empty to null.</summary>
    private static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var chars = value.Trim().Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        return new string(chars);
    }
}

/// <summary>How the contact list is ordered: by name or email (numbers as numbers), or latest activity first.</summary>
public enum ContactSort { Name, Email, Activity }
