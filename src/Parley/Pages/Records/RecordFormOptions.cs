using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Pages.Records;

/// <summary>The people a record form offers for contact and user fields and the assignee (by name, most recent contacts first).</summary>
public sealed record RecordFormOptions(IReadOnlyList<(long Id, string Label)> Contacts, IReadOnlyList<(long Id, string Label)> Users)
{
    public const int MaxContacts = 500;

    public static async Task<RecordFormOptions> LoadAsync(ParleyDbContext db, CancellationToken cancellationToken)
    {
        var contacts = await db.Contacts.AsNoTracking().OrderByDescending(c => c.Id).Take(MaxContacts).Select(c => new { c.Id, c.Name, c.Email })
            .ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Name).Select(u => new { u.Id, u.Name }).ToListAsync(cancellationToken);
        return new RecordFormOptions(
            contacts.OrderBy(c => c.Name).Select(c => (c.Id, $"{c.Name} <{c.Email}>")).ToList(),
            users.Select(u => (u.Id, u.Name)).ToList());
    }
}

/// <summary>One field's input on a record form: <paramref name="Value"/> is the stored text (see <see cref="RecordValue"/>).</summary>
public sealed record FieldInputView(RecordField Field, string? Value, string Name, RecordFormOptions Options)
{
    /// <summary>The stored value in the form an HTML input takes (datetime-local has no zone and no seconds).</summary>
    public string? InputValue => Field.Type == FieldType.DateTime && Value is { } v
        ? DateTimeOffset.Parse(v, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture)
        : Value;
}
