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
        };
        return new RecordView(new RecordRef(ContactType, c.Id), c.Name, c.Email, fields);
    }

    private async Task<RecordView> DeliverabilityAsync(RecordRef record, CancellationToken ct)
    {
        var domain = await db.SendingDomains.AsNoTracking().FirstOrDefaultAsync(d => d.Id == record.Id, ct)
            ?? throw new NotFoundException($"Sending domain {record.Id}");
        var fields = new Dictionary<string, object?> { ["id"] = domain.Id, ["domain"] = domain.Name };
        return new RecordView(record, $"Deliverability of {domain.Name}", null, fields);
    }
}
