using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;

namespace Parley.Core.Contacts;

/// <summary>
/// Fills the sort keys of contacts stored before the keys existed. It runs right after the migrations (the key is
/// computed by <see cref="Common.NaturalSortKey"/> in C#, the same code as on save, which SQL in a migration could only
/// imitate), and does nothing once every contact has her keys.
/// </summary>
public static class ContactSortKeys
{
    private const int Batch = 500;

    public static async Task BackfillAsync(ParleyDbContext db, CancellationToken cancellationToken)
    {
        // By id, so a contact whose key stays empty (an empty name) is passed once, not forever.
        var after = 0L;
        while (true)
        {
            var missing = await db.Contacts.Where(c => c.Id > after && (c.NameSortKey == "" || c.EmailSortKey == "")).OrderBy(c => c.Id).Take(Batch).ToListAsync(cancellationToken);
            if (missing.Count == 0)
            {
                return;
            }

            foreach (var contact in missing)
            {
                // Setting the text sets its key.
                contact.Name = contact.Name;
                contact.Email = contact.Email;
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            after = missing[^1].Id;
            if (missing.Count < Batch)
            {
                return;
            }
        }
    }
}
