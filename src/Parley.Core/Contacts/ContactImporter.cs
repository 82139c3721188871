using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Contacts;

public sealed record ImportRejection(int Line, string Reason);

public sealed record ImportResult(int Created, int Updated, IReadOnlyList<ImportRejection> Rejected);

/// <summary>
/// Imports contacts from CSV (header <c>name,email[,company,phone,tags]</c>, any order). An
/// existing contact with the same email is updated: tags are added to theirs, and fields the file has
/// no column for are kept. Bad lines are reported with their line number and skipped; the good ones
/// are written in one transaction.
/// </summary>
public sealed class ContactImporter(ParleyDbContext db, TimeProvider clock)
{
    private static readonly string[] KnownColumns = ["name", "email", "company", "phone", "tags", "language"];
    public const int MaxRows = 100_000;

    public async Task<ImportResult> ImportAsync(TextReader csv, CancellationToken cancellationToken)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t"],
            TrimOptions = TrimOptions.Trim,
            BadDataFound = null,
            IgnoreBlankLines = true,
        };
        using var parser = new CsvParser(csv, config);
        if (!await parser.ReadAsync())
        {
            throw new InvalidInputException("csv", "The file is empty. The first line must be a header such as: name,email,company,phone,tags");
        }

        var columns = ReadHeader(parser.Record ?? []);
        var rejected = new List<ImportRejection>();
        var rows = new Dictionary<string, (int Line, ContactService.ValidContact Contact)>(StringComparer.Ordinal);
        while (await parser.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lines = CsvRecordLines.Of(parser.RawRecord, parser.RawRow, parser.Delimiter[0]);
            var line = lines.First;
            if (rows.Count + rejected.Count >= MaxRows)
            {
                throw new InvalidInputException("csv", $"The file has more than {MaxRows:N0} rows; please split it.");
            }

            if (lines.RunawayQuote is { } runaway)
            {
                rejected.Add(new ImportRejection(line, runaway));
                continue;
            }
            var record = parser.Record ?? [];
            string? Field(string name) => columns.TryGetValue(name, out var i) && i < record.Length ? record[i] : null;
            try
            {
                var valid = ContactService.Validate(new ContactInput(Field("name"), Field("email"), Field("company"), Field("phone"), Field("tags"), Field("language")));
                if (rows.TryGetValue(valid.Email, out var earlier))
                {
                    rejected.Add(new ImportRejection(line, $"{valid.Email} is already on line {earlier.Line} of this file."));
                }
                else
                {
                    rows[valid.Email] = (line, valid);
                }
            }
            catch (InvalidInputException e)
            {
                rejected.Add(new ImportRejection(line, e.Message));
            }
        }

        var emails = rows.Keys.ToList();
        var existing = new Dictionary<string, Contact>(StringComparer.Ordinal);
        foreach (var chunk in emails.Chunk(500))
        {
            foreach (var c in await db.Contacts.Where(c => chunk.Contains(c.Email)).ToListAsync(cancellationToken))
            {
                existing[c.Email] = c;
            }
        }

        var now = clock.GetUtcNow();
        int created = 0, updated = 0;
        foreach (var (email, (_, valid)) in rows)
        {
            if (existing.TryGetValue(email, out var contact))
            {
                Merge(contact, valid, columns);
                contact.UpdatedAt = now;
                updated++;
            }
            else
            {
                db.Contacts.Add(ContactService.NewContact(valid, now));
                created++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return new ImportResult(created, updated, rejected.OrderBy(r => r.Line).ToList());
    }

    /// <summary>
    /// Importing a contact again adds the file's tags to the contact's (never removes one: that is for the contact's page) and leaves
    /// alone what the file has no column for, so a list of emails and tags does not wipe companies and phones.
    /// </summary>
    private static void Merge(Contact contact, ContactService.ValidContact valid, Dictionary<string, int> columns)
    {
        contact.Name = valid.Name;
        contact.Email = valid.Email;
        if (columns.ContainsKey("company"))
        {
            contact.Company = valid.Company;
        }

        if (columns.ContainsKey("phone"))
        {
            contact.Phone = valid.Phone;
        }

        if (columns.ContainsKey("language"))
        {
            contact.Language = valid.Language;
        }

        var tags = ContactService.NormalizeTags(contact.Tags + "," + valid.Tags);
        if (tags.Length <= ContactService.MaxTagsLength)
        {
            contact.Tags = tags;
        }
    }

    private static Dictionary<string, int> ReadHeader(string[] header)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().Trim('\uFEFF').ToLowerInvariant();
            if (!KnownColumns.Contains(name))
            {
                throw new InvalidInputException("csv", $"Line 1: unknown column \"{header[i]}\". The columns Parley knows are: {string.Join(", ", KnownColumns)}.");
            }

            if (!columns.TryAdd(name, i))
            {
                throw new InvalidInputException("csv", $"Line 1: the column \"{name}\" appears twice.");
            }
        }
        if (!columns.ContainsKey("name") || !columns.ContainsKey("email"))
        {
            throw new InvalidInputException("csv", "Line 1 must be a header with at least the columns name and email, e.g.: name,email,company,phone,tags");
        }

        return columns;
    }
}
