using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Core.Followers;

/// <summary>Adds and removes a record's followers: contacts or users who get its discussion by email.</summary>
public sealed class FollowerService(ParleyDbContext db, RecordDirectory records, ContactService contacts, TimeProvider clock)
{
    public async Task<List<Follower>> ListAsync(RecordRef record, CancellationToken cancellationToken)
    {
        await records.GetAsync(record, cancellationToken);
        return await db.Followers.AsNoTracking().Where(f => f.RecordType == record.Type && f.RecordId == record.Id).OrderBy(f => f.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Adds a contact or a user (exactly one of the ids); adding someone twice returns the existing follower.</summary>
    public async Task<Follower> AddAsync(RecordRef record, long? contactId, long? userId, CancellationToken cancellationToken)
    {
        await records.GetAsync(record, cancellationToken);
        if (contactId is null == userId is null)
        {
            throw new InvalidInputException("follower", "Give either a contactId or a userId to follow this record.");
        }

        string name, email;
        if (contactId is { } cid)
        {
            var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cid, cancellationToken)
                ?? throw new InvalidInputException("contactId", $"Contact {cid} does not exist.");
            (name, email) = (contact.Name, contact.Email);
        }
        else
        {
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
                ?? throw new InvalidInputException("userId", $"User {userId} does not exist.");
            (name, email) = (user.Name, user.Email);
        }
        var key = email.ToLowerInvariant();
        var existing = await db.Followers.FirstOrDefaultAsync(f => f.RecordType == record.Type && f.RecordId == record.Id && f.Email == key, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var follower = new Follower
        {
            RecordType = record.Type,
            RecordId = record.Id,
            ContactId = contactId,
            UserId = userId,
            Name = name,
            Email = key,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Followers.Add(follower);
        await db.SaveChangesAsync(cancellationToken);
        return follower;
    }

    /// <summary>
    /// Adds whoever has this address: a user, else a contact, else a new contact named <paramref name="name"/>
    /// (or the address's local part), so every follower stays a contact or a user.
    /// </summary>
    public async Task<Follower> AddByEmailAsync(RecordRef record, string? email, string? name, CancellationToken cancellationToken)
    {
        await records.GetAsync(record, cancellationToken);
        var address = EmailAddress.Normalize(email)
            ?? throw new InvalidInputException("email", "Enter one email address, such as ana@example.com.");
        // Normalized addresses are lower case, as stored users and contacts are: a plain (indexed) comparison finds them.
        var userId = await db.Users.Where(u => u.Email == address).OrderBy(u => u.Id).Select(u => (long?)u.Id).FirstOrDefaultAsync(cancellationToken);
        if (userId is not null)
        {
            return await AddAsync(record, null, userId, cancellationToken);
        }

        var contactId = await db.Contacts.Where(c => c.Email == address).OrderBy(c => c.Id).Select(c => (long?)c.Id).FirstOrDefaultAsync(cancellationToken)
            ?? (await contacts.CreateAsync(new ContactInput(string.IsNullOrWhiteSpace(name) ? address[..address.IndexOf('@')] : name, address), cancellationToken)).Id;
        return await AddAsync(record, contactId, null, cancellationToken);
    }

    public async Task RemoveAsync(RecordRef record, long followerId, CancellationToken cancellationToken)
    {
        var follower = await db.Followers.FirstOrDefaultAsync(f => f.Id == followerId && f.RecordType == record.Type && f.RecordId == record.Id, cancellationToken)
            ?? throw new NotFoundException($"Follower {followerId} of {record.Type} {record.Id}");
        db.Followers.Remove(follower);
        await db.SaveChangesAsync(cancellationToken);
    }
}
