using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Records;

/// <summary>
/// Finds records by type and id. Only the built-in <c>contact</c> type exists for now; admin-defined
/// record types plug in here.
/// </summary>
public sealed class RecordDirectory(ParleyDbContext db)
{
    public const string ContactType = "contact";

    /// <summary>One per sending domain (id = SendingDomain.Id): the doctor posts changes in its findings here.</summary>
    public const string DeliverabilityType = "deliverability";

    public static IReadOnlyList<string> KnownTypes { get; } = [ContactType, DeliverabilityType];

    public static bool IsKnownType(string? type) => type is not null && KnownTypes.Contains(type);

    public async Task<RecordView> GetAsync(RecordRef record, CancellationToken ct)
    {
        if (record.Type == DeliverabilityType) return await DeliverabilityAsync(record, ct);
        if (record.Type != ContactType) throw new NotFoundException($"Record type \"{record.Type}\"");
        var c = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == record.Id, ct)
            ?? throw new NotFoundException($"Contact {record.Id}");
        return ViewOf(c);
    }

    /// <summary>Whether the record exists, in its own type's table (a reply address names any type).</summary>
    public Task<bool> ExistsAsync(RecordRef record, CancellationToken ct) => record.Type switch
    {
        ContactType => db.Contacts.AnyAsync(c => c.Id == record.Id, ct),
        DeliverabilityType => db.SendingDomains.AnyAsync(d => d.Id == record.Id, ct),
        _ => Task.FromResult(false),
    };

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

    private async Task<RecordView> DeliverabilityAsync(RecordRef record, CancellationToken ct)
    {
        var domain = await db.SendingDomains.AsNoTracking().FirstOrDefaultAsync(d => d.Id == record.Id, ct)
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
