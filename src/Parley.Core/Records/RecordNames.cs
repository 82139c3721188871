using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;

namespace Parley.Core.Records;

/// <summary>The names of the contacts and users that records link to, read once per page of records.</summary>
public sealed class RecordNames
{
    private readonly Dictionary<long, (string Name, string Email)> _contacts;
    private readonly Dictionary<long, (string Name, string Email)> _users;

    private RecordNames(Dictionary<long, (string, string)> contacts, Dictionary<long, (string, string)> users) => (_contacts, _users) = (contacts, users);

    public static async Task<RecordNames> LoadAsync(ParleyDbContext db, IEnumerable<long> contactIds, IEnumerable<long> userIds,
        CancellationToken cancellationToken)
    {
        var contacts = contactIds.Distinct().ToList();
        var users = userIds.Distinct().ToList();
        var c = contacts.Count == 0 ? [] : await db.Contacts.AsNoTracking().Where(x => contacts.Contains(x.Id))
            .ToDictionaryAsync(x => x.Id, x => (x.Name, x.Email), cancellationToken);
        var u = users.Count == 0 ? [] : await db.Users.AsNoTracking().Where(x => users.Contains(x.Id))
            .ToDictionaryAsync(x => x.Id, x => (x.Name, x.Email), cancellationToken);
        return new RecordNames(c, u);
    }

    /// <summary>Names for <see cref="RecordSamples"/>: contact and user 0.</summary>
    public static RecordNames Sample { get; } = new(
        new() { [0] = ("Sample Contact", "sample@example.com") }, new() { [0] = ("Sample User", "sample.user@example.com") });

    public bool HasContact(long id) => _contacts.ContainsKey(id);

    public bool HasUser(long id) => _users.ContainsKey(id);

    public (string Name, string Email)? Contact(long id) => _contacts.TryGetValue(id, out var c) ? c : null;

    public (string Name, string Email)? User(long id) => _users.TryGetValue(id, out var u) ? u : null;

    /// <summary>For <see cref="FieldValues.Display"/>.</summary>
    public string? NameOf(FieldType type, long id) => (type == FieldType.Contact ? Contact(id) : User(id))?.Name;
}
