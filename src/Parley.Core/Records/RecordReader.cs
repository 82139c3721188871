using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Records;

/// <summary>Reads records of a type: one, or a page filtered by stage, assignee and any field, searched and sorted in SQL.</summary>
public sealed class RecordReader(ParleyDbContext db, RecordTypeService types)
{
    public const int MaxTake = 500;

    public async Task<RecordSnapshot> GetAsync(string typeKey, long id, CancellationToken cancellationToken) =>
        await FindAsync(typeKey, id, cancellationToken) ?? throw new NotFoundException($"{typeKey} {id}");

    public async Task<RecordSnapshot?> FindAsync(string typeKey, long id, CancellationToken cancellationToken)
    {
        if (await types.FindAsync(typeKey, cancellationToken) is not { } type)
        {
            throw new NotFoundException($"Record type \"{typeKey}\"");
        }
        var record = await db.Records.AsNoTracking().Include(r => r.Values).FirstOrDefaultAsync(r => r.Id == id && r.RecordTypeId == type.Id, cancellationToken);
        return record is null ? null : (await SnapshotsAsync(type, [record], cancellationToken))[0];
    }

    public async Task<(List<RecordSnapshot> Page, int Total)> ListAsync(string typeKey, RecordListQuery query, CancellationToken cancellationToken)
    {
        var type = await types.GetAsync(typeKey, cancellationToken);
        var q = Filter(type, query);
        var total = await q.CountAsync(cancellationToken);
        var ids = await Sort(type, q, query.Sort).Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake)).Select(r => r.Id)
            .ToListAsync(cancellationToken);
        var records = await db.Records.AsNoTracking().Include(r => r.Values).Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken);
        var ordered = ids.Select(id => records.First(r => r.Id == id)).ToList();
        return (await SnapshotsAsync(type, ordered, cancellationToken), total);
    }

    /// <summary>Reads the names every record links to (assignees, contact and user fields) in two queries for the whole page.</summary>
    public async Task<List<RecordSnapshot>> SnapshotsAsync(RecordType type, IReadOnlyList<BusinessRecord> records, CancellationToken cancellationToken)
    {
        var contactFields = type.Fields.Where(f => f.Type == FieldType.Contact).Select(f => f.Id).ToHashSet();
        var userFields = type.Fields.Where(f => f.Type == FieldType.User).Select(f => f.Id).ToHashSet();
        var values = records.SelectMany(r => r.Values).Where(v => v.Text != null).ToList();
        var names = await RecordNames.LoadAsync(db,
            values.Where(v => contactFields.Contains(v.FieldId)).Select(v => long.Parse(v.Text!)),
            values.Where(v => userFields.Contains(v.FieldId)).Select(v => long.Parse(v.Text!))
                .Concat(records.Where(r => r.AssigneeUserId != null).Select(r => r.AssigneeUserId!.Value)),
            cancellationToken);
        return records.Select(r => new RecordSnapshot(type, r, names)).ToList();
    }

    private IQueryable<BusinessRecord> Filter(RecordType type, RecordListQuery query)
    {
        var errors = new Dictionary<string, string[]>();
        IQueryable<BusinessRecord> q = db.Records.AsNoTracking().Where(r => r.RecordTypeId == type.Id);
        if (!string.IsNullOrWhiteSpace(query.Stage))
        {
            if (type.Stages.FirstOrDefault(s => s.Key == query.Stage.Trim().ToLowerInvariant()) is { } stage)
            {
                q = q.Where(r => r.StageId == stage.Id);
            }
            else
            {
                errors["stage"] = [UnknownStage(type, query.Stage)];
            }
        }
        if (query.Assignee is { } assignee)
        {
            q = q.Where(r => r.AssigneeUserId == assignee);
        }
        foreach (var (name, raw) in query.Filters ?? new Dictionary<string, string>())
        {
            var key = name == "customer" && type.CustomerField is { } customer ? customer : name;
            if (type.ActiveField(key) is not { } field)
            {
                errors[name] = [$"{type.Name} have no field \"{name}\" to filter by. Fields: {string.Join(", ", type.ActiveFields.Select(f => f.Key))}."];
                continue;
            }
            var (value, error) = FieldValues.Parse(field, raw);
            if (error is not null)
            {
                errors[name] = [error];
                continue;
            }
            var fieldId = field.Id;
            if (value is null)
            {
                q = q.Where(r => !db.RecordValues.Any(v => v.RecordId == r.Id && v.FieldId == fieldId && v.Text != null));
            }
            else if (value.Number is { } number)
            {
                q = q.Where(r => db.RecordValues.Any(v => v.RecordId == r.Id && v.FieldId == fieldId && v.Number == number));
            }
            else
            {
                var k = value.Key;
                q = q.Where(r => db.RecordValues.Any(v => v.RecordId == r.Id && v.FieldId == fieldId && v.Key == k));
            }
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var term = query.Q.Trim().ToLowerInvariant();
            var active = type.ActiveFields.Where(f => f.Type is FieldType.Text or FieldType.LongText or FieldType.Choice).Select(f => f.Id).ToList();
            q = q.Where(r => r.Reference.ToLower().Contains(term)
                || db.RecordValues.Any(v => v.RecordId == r.Id && active.Contains(v.FieldId) && v.Key!.Contains(term)));
        }
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }
        return q;
    }

    private IQueryable<BusinessRecord> Sort(RecordType type, IQueryable<BusinessRecord> q, string? sort)
    {
        var text = (sort ?? "").Trim().ToLowerInvariant();
        var descending = text.StartsWith('-');
        var key = descending ? text[1..] : text;
        switch (key)
        {
            case "":
                return q.OrderByDescending(r => r.Id);
            case "reference":
                return Order(q, r => r.Number, descending);
            case "created_at":
                return Order(q, r => r.Id, descending);
            case "updated_at":
                return Order(q, r => r.UpdatedAt, descending);
            case "stage":
                return Order(q, r => db.Set<RecordStage>().Where(s => s.Id == r.StageId).Select(s => s.Position).First(), descending);
        }
        if (type.ActiveField(key) is not { } field)
        {
            throw new InvalidInputException("sort",
                $"Sort by reference, stage, created_at, updated_at or a field ({string.Join(", ", type.ActiveFields.Select(f => f.Key))}), with a leading - for descending.");
        }
        var fieldId = field.Id;
        return field.Type is FieldType.Number or FieldType.Money or FieldType.Bool
            ? Order(q, r => db.RecordValues.Where(v => v.RecordId == r.Id && v.FieldId == fieldId).Select(v => v.Number).FirstOrDefault(), descending)
            : Order(q, r => db.RecordValues.Where(v => v.RecordId == r.Id && v.FieldId == fieldId).Select(v => v.Key).FirstOrDefault(), descending);
    }

    private static IOrderedQueryable<BusinessRecord> Order<T>(IQueryable<BusinessRecord> q, Expression<Func<BusinessRecord, T>> by, bool descending) =>
        descending ? q.OrderByDescending(by).ThenByDescending(r => r.Id) : q.OrderBy(by).ThenBy(r => r.Id);

    public static string UnknownStage(RecordType type, string stage) =>
        $"\"{stage}\" is not a stage of {type.Name}. Stages: {string.Join(", ", type.OrderedStages.Select(s => s.Key))}.";
}
