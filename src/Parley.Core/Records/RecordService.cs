using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Identity;

namespace Parley.Core.Records;

/// <summary>
/// Creates and edits records. Every value is checked against its field before anything is written (all problems at
/// once, named by field); the record, its values and the chatter events of its tracked changes are written in one
/// transaction. An edit of an older version is refused with what changed since (optimistic concurrency).
/// </summary>
public sealed class RecordService(
    ParleyDbContext db,
    RecordTypeService types,
    RecordReader reader,
    RecordTracking tracking,
    DatabaseWriteGate writeGate,
    ChatterEvents events,
    TimeProvider clock)
{
    public async Task<RecordSnapshot> CreateAsync(string typeKey, RecordInput input, ActingUser user, CancellationToken cancellationToken)
    {
        var type = await types.GetAsync(typeKey, cancellationToken);
        var errors = new Dictionary<string, string[]>();
        var stage = input.Stage is null ? type.OrderedStages.First() : StageOf(type, input.Stage, errors);
        var values = await ParseAsync(type, input, errors, cancellationToken);
        foreach (var required in type.ActiveFields.Where(f => f.Required && !(values.TryGetValue(f, out var given) && given.Value is not null)))
        {
            errors.TryAdd($"fields.{required.Key}", [$"{required.Label} is required."]);
        }
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var now = clock.GetUtcNow();
        var record = new BusinessRecord
        {
            RecordTypeId = type.Id,
            Reference = "",
            StageId = stage!.Id,
            AssigneeUserId = input.SetsAssignee ? input.Assignee : null,
            Version = 1,
            StageVersion = 1,
            AssigneeVersion = 1,
            CreatedAt = now,
            UpdatedAt = now,
            UpdatedByName = user.Name,
        };
        foreach (var (field, parsed) in values)
        {
            if (parsed.Value is { } v)
            {
                record.Values.Add(new RecordValue { FieldId = field.Id, Text = v.Text, Key = v.Key, Number = v.Number, ChangedInVersion = 1 });
            }
        }

        ChatterMessage created;
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The increment locks the type's row until commit, so two records never get one number (SQLite has one writer anyway).
            await db.RecordTypes.Where(t => t.Id == type.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastNumber, t => t.LastNumber + 1), cancellationToken);
            record.Number = await db.RecordTypes.Where(t => t.Id == type.Id).Select(t => t.LastNumber).FirstAsync(cancellationToken);
            record.Reference = type.ReferenceOf(record.Number);
            db.Records.Add(record);
            await db.SaveChangesAsync(cancellationToken);
            created = tracking.Created(type, record, user, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        events.Publish(new RecordRef(type.Key, record.Id), created.Id);
        return await reader.GetAsync(type.Key, record.Id, cancellationToken);
    }

    /// <summary>Changes what the input gives (any subset); tracked changes write one event each.</summary>
    public async Task<RecordSnapshot> UpdateAsync(string typeKey, long id, RecordInput input, ActingUser user, CancellationToken cancellationToken)
    {
        var type = await types.GetAsync(typeKey, cancellationToken);
        var record = await db.Records.Include(r => r.Values).FirstOrDefaultAsync(r => r.Id == id && r.RecordTypeId == type.Id, cancellationToken)
            ?? throw new NotFoundException($"{type.SingularLabel} {id}");
        if (input.Version is { } seen && seen != record.Version)
        {
            throw Conflict(type, record, seen);
        }
        var errors = new Dictionary<string, string[]>();
        var stage = input.Stage is null ? null : StageOf(type, input.Stage, errors);
        var values = await ParseAsync(type, input, errors, cancellationToken);
        foreach (var (field, parsed) in values.Where(v => v.Key.Required && v.Value.Value is null))
        {
            errors.TryAdd($"fields.{field.Key}", [$"{field.Label} is required: it cannot be emptied."]);
        }
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var before = (await reader.SnapshotsAsync(type, [Copy(record)], cancellationToken))[0];
        var version = record.Version + 1;
        var changed = false;
        if (stage is not null && stage.Id != record.StageId)
        {
            (record.StageId, record.StageVersion, changed) = (stage.Id, version, true);
        }
        if (input.SetsAssignee && input.Assignee != record.AssigneeUserId)
        {
            (record.AssigneeUserId, record.AssigneeVersion, changed) = (input.Assignee, version, true);
        }
        foreach (var (field, parsed) in values)
        {
            var stored = record.Values.FirstOrDefault(v => v.FieldId == field.Id);
            if (stored?.Text == parsed.Value?.Text)
            {
                continue;
            }
            if (stored is null)
            {
                stored = new RecordValue { FieldId = field.Id };
                record.Values.Add(stored);
            }
            // A cleared value keeps its row (text null), so a refused edit can still say that it changed, and when.
            (stored.Text, stored.Key, stored.Number, stored.ChangedInVersion) = (parsed.Value?.Text, parsed.Value?.Key, parsed.Value?.Number, version);
            changed = true;
        }
        if (!changed)
        {
            return before;
        }
        var now = clock.GetUtcNow();
        (record.Version, record.UpdatedAt, record.UpdatedByName) = (version, now, user.Name);
        var after = (await reader.SnapshotsAsync(type, [record], cancellationToken))[0];
        var written = tracking.Changes(before, after, user, now);
        try
        {
            await using (await writeGate.EnterAsync(db, cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another edit saved between our read and our write: say what it changed.
            db.ChangeTracker.Clear();
            var current = await db.Records.AsNoTracking().Include(r => r.Values).FirstAsync(r => r.Id == id, cancellationToken);
            throw Conflict(type, current, version - 1);
        }
        foreach (var message in written)
        {
            events.Publish(after.Ref, message.Id);
        }
        return await reader.GetAsync(type.Key, record.Id, cancellationToken);
    }

    private static RecordStage? StageOf(RecordType type, string key, Dictionary<string, string[]> errors)
    {
        var stage = type.Stages.FirstOrDefault(s => s.Key == key.Trim().ToLowerInvariant());
        if (stage is null)
        {
            errors["stage"] = [RecordReader.UnknownStage(type, key)];
        }
        return stage;
    }

    /// <summary>Each given value checked against its field; links to contacts and users checked to exist (one query each).</summary>
    private async Task<Dictionary<RecordField, (ParsedValue? Value, bool Given)>> ParseAsync(RecordType type, RecordInput input,
        Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var values = new Dictionary<RecordField, (ParsedValue? Value, bool Given)>();
        foreach (var (key, raw) in input.Fields ?? new Dictionary<string, object?>())
        {
            var at = $"fields.{key}";
            if (type.ActiveField(key) is not { } field)
            {
                errors[at] = [type.Fields.Any(f => f.Key == key)
                    ? $"The field \"{key}\" was removed from {type.Name}; it can no longer be set."
                    : $"{type.Name} have no field \"{key}\". Fields: {string.Join(", ", type.ActiveFields.Select(f => f.Key))}."];
                continue;
            }
            var (value, error) = FieldValues.Parse(field, raw);
            if (error is not null)
            {
                errors[at] = [error];
                continue;
            }
            values[field] = (value, true);
        }
        var links = values.Where(v => v.Value.Value is not null && v.Key.Type is FieldType.Contact or FieldType.User).ToList();
        var userIds = links.Where(l => l.Key.Type == FieldType.User).Select(l => l.Value.Value!.LinkId).ToList();
        if (input.SetsAssignee && input.Assignee is { } assignee)
        {
            userIds.Add(assignee);
        }
        var names = await RecordNames.LoadAsync(db, links.Where(l => l.Key.Type == FieldType.Contact).Select(l => l.Value.Value!.LinkId), userIds,
            cancellationToken);
        foreach (var (field, (value, _)) in links)
        {
            var known = field.Type == FieldType.Contact ? names.HasContact(value!.LinkId) : names.HasUser(value!.LinkId);
            if (!known)
            {
                errors[$"fields.{field.Key}"] = [$"{field.Label}: {(field.Type == FieldType.Contact ? "contact" : "user")} {value.LinkId} does not exist."];
            }
        }
        if (input.SetsAssignee && input.Assignee is { } who && !names.HasUser(who))
        {
            errors["assignee"] = [$"User {who} does not exist; the assignee is a user's id."];
        }
        return values;
    }

    private static BusinessRecord Copy(BusinessRecord r) => new()
    {
        Id = r.Id,
        RecordTypeId = r.RecordTypeId,
        Number = r.Number,
        Reference = r.Reference,
        StageId = r.StageId,
        AssigneeUserId = r.AssigneeUserId,
        Version = r.Version,
        Values = r.Values.Select(v => new RecordValue { FieldId = v.FieldId, Text = v.Text }).ToList(),
    };

    /// <summary>The refusal of an edit made on <paramref name="seen"/>: which parts changed since, by whom and when.</summary>
    private static ConflictException Conflict(RecordType type, BusinessRecord current, int seen)
    {
        var changed = new List<string>();
        if (current.StageVersion > seen)
        {
            changed.Add("stage");
        }
        if (current.AssigneeVersion > seen)
        {
            changed.Add("assignee");
        }
        changed.AddRange(type.Fields.Where(f => current.Values.Any(v => v.FieldId == f.Id && v.ChangedInVersion > seen)).Select(f => $"fields.{f.Key}"));
        var what = changed.Count == 0 ? "" : $" ({string.Join(", ", changed)})";
        return new ConflictException(
            $"{current.Reference} was changed by {current.UpdatedByName} at {current.UpdatedAt:yyyy-MM-dd HH:mm} UTC since you opened it{what}. " +
            "Nothing was saved: reload it, and make your change again.",
            new Dictionary<string, object?>
            {
                ["version"] = current.Version,
                ["yourVersion"] = seen,
                ["changed"] = changed,
                ["changedBy"] = current.UpdatedByName,
                ["changedAt"] = current.UpdatedAt,
            });
    }
}
