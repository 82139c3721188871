using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Followers;
using Parley.Core.Records;

namespace Parley.Core.Inbound;

/// <summary>
/// What routing looks up again and again within one batch — the contact of a sender address, a record's followers —
/// read once per batch instead of once per message (a busy sender would otherwise cost the same queries per message,
/// inside the database's single writer); aliases come with <see cref="AliasDomainAddresses"/>. Lives for one batch
/// only, so a follower added meanwhile applies from the next batch on. Contacts created in a transaction that is rolled back are
/// forgotten with <see cref="ForgetContacts"/>.
/// </summary>
public sealed class RouteLookups(ParleyDbContext db)
{
    private readonly Dictionary<string, ContactKey?> _contacts = new(StringComparer.Ordinal);
    private readonly Dictionary<RecordRef, List<Follower>> _followers = [];

    /// <summary>The contact with this (normalized) address, or null; remembered, absent ones too.</summary>
    public async Task<ContactKey?> ContactAsync(string email, CancellationToken cancellationToken)
    {
        if (_contacts.TryGetValue(email, out var known))
        {
            return known;
        }

        return _contacts[email] = await InboundQueries.For(db).ContactByEmail(db, email, cancellationToken);
    }

    public void ContactCreated(long id, string email) => _contacts[email] = new ContactKey(id, email);

    /// <summary>After a rollback: contacts created by the undone work no longer exist.</summary>
    public void ForgetContacts() => _contacts.Clear();

    public async Task<IReadOnlyList<Follower>> FollowersAsync(RecordRef record, CancellationToken cancellationToken)
    {
        if (_followers.TryGetValue(record, out var followers))
        {
            return followers;
        }

        return _followers[record] = await InboundQueries.For(db).FollowersOf(db, record.Type, record.Id).ToListAsync(cancellationToken);
    }
}
