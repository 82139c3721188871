using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Records;

/// <summary>
/// Finds records by type and id, whatever their type: the built-in <c>contact</c> (and each sending domain's
/// deliverability chatter), and the admin-defined record types (<see cref="RecordType"/>), which plug in here.
/// </summary>
public sealed class RecordDirectory(ParleyDbContext db, RecordReader reader, RecordTypeService types)
{
    public const string ContactType = "contact";

    /// <summary>One per sending domain (id = SendingDomain.Id): the doctor posts changes in its findings here.</summary>
    public const string DeliverabilityType = "deliverability";

    public static IReadOnlyList<string> KnownTypes { get; } = [ContactType, DeliverabilityType];

    public static bool IsKnownType(string? type) => type is not null && KnownTypes.Contains(type);

    public async Task<RecordView> GetAsync(RecordRef record, CancellationToken cancellationToken)
    {
        if (record.Type == DeliverabilityType)
        {
            return await DeliverabilityAsync(record, cancellationToken);
        }

        if (record.Type != ContactType)
        {
            var snapshot = await reader.FindAsync(record.Type, record.Id, cancellationToken) ?? throw new NotFoundException($"{record.Type} {record.Id}");
            return snapshot.ToView();
        }
        var c = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == record.Id, cancellationToken)
            ?? throw new NotFoundException($"Contact {record.Id}");
        return ViewOf(c);
    }

    /// <summary>Whether the record exists, in its own type's table (a reply address names any type).</summary>
    public Task<bool> ExistsAsync(RecordRef record, CancellationToken cancellationToken) => record.Type switch
    {
        ContactType => db.Contacts.AnyAsync(c => c.Id == record.Id, cancellationToken),
        DeliverabilityType => db.SendingDomains.AnyAsync(d => d.Id == record.Id, cancellationToken),
        _ => db.Records.AnyAsync(r => r.Id == record.Id && db.RecordTypes.Any(t => t.Id == r.RecordTypeId && t.Key == record.Type), cancellationToken),
    };

    /// <summary>A built-in type or an admin-defined one.</summary>
    public async Task<bool> IsKnownTypeAsync(string? type, CancellationToken cancellationToken) =>
        IsKnownType(type) || (type is not null && await db.RecordTypes.AnyAsync(t => t.Key == type, cancellationToken));

    /// <summary>Every type a template or an alias can name: the built-in ones, then the admin-defined ones.</summary>
    public async Task<List<string>> AllTypesAsync(CancellationToken cancellationToken) =>
        [.. KnownTypes, .. await db.RecordTypes.OrderBy(t => t.Key).Select(t => t.Key).ToListAsync(cancellationToken)];

    /// <summary>
    /// A made-up record of any known type with every field filled, for checking a template before it is saved; null for a
    /// type that does not exist.
    /// </summary>
    public async Task<RecordView?> SampleAsync(string type, CancellationToken cancellationToken)
    {
        if (IsKnownType(type))
        {
            return SampleOf(type);
        }

        return await types.FindAsync(type, cancellationToken) is { } recordType ? RecordSamples.Of(recordType).ToView() : null;
    }

    /// <summary>A contact as the chatter and templates see it (also used in bulk, without a query per contact).</summary>
    public static RecordView ViewOf(Contacts.Contact c)
    {
        var fields = new Dictionary<string, object?>
        {
            ["id"] = c.Id,
            ["name"] = c.Name,
            ["first_name"] = c.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? c.Name,
            ["email"] = c.Email,
            ["company"] = c.Company ?? "",
            ["phone"] = c.Phone ?? "",
            ["tags"] = c.Tags.Split(',', StringSplitOptions.RemoveEmptyEntries),
            ["language"] = c.Language ?? "",
        };
        return new RecordView(new RecordRef(ContactType, c.Id), c.Name, c.Email, fields);
    }

    private async Task<RecordView> DeliverabilityAsync(RecordRef record, CancellationToken cancellationToken)
    {
        var domain = await db.SendingDomains.AsNoTracking().FirstOrDefaultAsync(d => d.Id == record.Id, cancellationToken)
            ?? throw new NotFoundException($"Sending domain {record.Id}");
        return DeliverabilityView(domain.Id, domain.Name);
    }

    private static RecordView DeliverabilityView(long id, string domain) =>
        new(new RecordRef(DeliverabilityType, id), $"Deliverability of {domain}", null, new Dictionary<string, object?> { ["id"] = id, ["domain"] = domain });

    /// <summary>A made-up record of a known type with every field filled, for checking a template before it is saved.</summary>
    public static RecordView SampleOf(string type) => type == DeliverabilityType
        ? DeliverabilityView(0, "example.com")
        : ViewOf(new Contacts.Contact { Name = "Sample Contact", Email = "sample@example.com", Company = "Sample Company", Phone = "+1 555 0100", Tags = "sample" });
}
