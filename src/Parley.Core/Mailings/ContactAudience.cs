using Microsoft.EntityFrameworkCore;
using Parley.Core.Contacts;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Core.Mailings;

/// <summary>Contacts as mailing recipients: by tag, by id, or all of them.</summary>
public sealed class ContactAudience(ParleyDbContext db) : IMailingAudience
{
    public string RecordType => RecordDirectory.ContactType;

    public Task<int> CountAsync(AudienceFilter filter, CancellationToken cancellationToken) => Matching(filter).CountAsync(cancellationToken);

    public async Task<IReadOnlyList<AudienceMember>> PageAsync(AudienceFilter filter, long afterId, int take, CancellationToken cancellationToken)
    {
        var contacts = await Matching(filter).Where(c => c.Id > afterId).OrderBy(c => c.Id).Take(take).ToListAsync(cancellationToken);
        return contacts.Select(c => new AudienceMember(RecordDirectory.ViewOf(c), c.Language)).ToList();
    }

    private IQueryable<Contact> Matching(AudienceFilter filter)
    {
        IQueryable<Contact> contacts = db.Contacts.AsNoTracking();
        if (filter.RecordIds is { Count: > 0 } ids)
        {
            contacts = contacts.Where(c => ids.Contains(c.Id));
        }
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            var tag = filter.Tag.Trim().ToLowerInvariant();
            contacts = contacts.Where(c => ("," + c.Tags + ",").Contains("," + tag + ","));
        }
        return contacts;
    }
}
