using Microsoft.EntityFrameworkCore;
using Parley.Core.Contacts;
using Parley.Core.Data;
using Parley.Core.Mailings.Filters;
using Parley.Core.Records;

namespace Parley.Core.Mailings;

/// <summary>Contacts as mailing recipients: by tag, by id, by filter, or all of them.</summary>
public sealed class ContactAudience(ParleyDbContext db) : IMailingAudience
{
    /// <summary>A contact is its own customer, so each field is also spelled <c>customer.x</c>, as on other record types.</summary>
    public static readonly FilterFields<Contact> Fields = new FilterFields<Contact>()
        .Text("name", c => c.Name).Text("email", c => c.Email).Text("company", c => c.Company).Text("phone", c => c.Phone)
        .Text("language", c => c.Language).Tags("tags", c => c.Tags).Number("id", c => c.Id)
        .Text("customer.name", c => c.Name).Text("customer.email", c => c.Email).Text("customer.company", c => c.Company)
        .Text("customer.language", c => c.Language).Tags("customer.tags", c => c.Tags);

    public string RecordType => RecordDirectory.ContactType;

    public IReadOnlyList<string> FilterFieldNames => Fields.Names;

    public void CheckFilter(string filter) => MailingFilter.Parse(filter, Fields);

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
        if (!string.IsNullOrWhiteSpace(filter.Filter))
        {
            contacts = contacts.Where(MailingFilter.Parse(filter.Filter, Fields));
        }
        return contacts;
    }
}
