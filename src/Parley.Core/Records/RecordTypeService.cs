using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Records;

/// <summary>
/// Defines record types. Changing a type never loses data: a field left out is marked removed (hidden, its values kept,
/// shown again when its key comes back); a field's type changes only while it has no values; a stage goes only when no
/// record is in it.
/// </summary>
public sealed class RecordTypeService(ParleyDbContext db, TimeProvider clock)
{
    public Task<List<RecordType>> ListAsync(CancellationToken cancellationToken) =>
        db.RecordTypes.AsNoTracking().Include(t => t.Fields).Include(t => t.Stages).OrderBy(t => t.Name).AsSplitQuery().ToListAsync(cancellationToken);

    public async Task<RecordType> GetAsync(string key, CancellationToken cancellationToken) =>
        await FindAsync(key, cancellationToken) ?? throw new NotFoundException($"Record type \"{key}\"");

    /// <summary>The type with its fields and stages, read-only; null when there is none with this key.</summary>
    public Task<RecordType?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var normalized = key.ToLowerInvariant();
        return db.RecordTypes.AsNoTracking().Include(t => t.Fields).Include(t => t.Stages).AsSplitQuery()
            .FirstOrDefaultAsync(t => t.Key == normalized, cancellationToken);
    }

    public async Task<RecordType> CreateAsync(RecordTypeInput input, CancellationToken cancellationToken)
    {
        var valid = RecordTypeRules.Validate(input, keyFromUrl: null);
        if (await db.RecordTypes.AnyAsync(t => t.Key == valid.Key, cancellationToken))
        {
            throw new InvalidInputException("key", $"A record type with the key \"{valid.Key}\" already exists.");
        }
        var now = clock.GetUtcNow();
        var type = new RecordType
        {
            Key = valid.Key,
            Name = valid.Name,
            SingularLabel = valid.SingularLabel,
            Prefix = valid.Prefix,
            CustomerField = valid.CustomerField,
            CreatedAt = now,
            UpdatedAt = now,
        };
        ApplyFieldsAndStages(type, valid);
        db.RecordTypes.Add(type);
        await db.SaveChangesAsync(cancellationToken);
        return type;
    }

    public async Task<RecordType> UpdateAsync(string key, RecordTypeInput input, CancellationToken cancellationToken)
    {
        var normalized = key.ToLowerInvariant();
        var type = await db.RecordTypes.Include(t => t.Fields).Include(t => t.Stages).AsSplitQuery()
            .FirstOrDefaultAsync(t => t.Key == normalized, cancellationToken) ?? throw new NotFoundException($"Record type \"{key}\"");
        var valid = RecordTypeRules.Validate(input, type.Key);
        var errors = new Dictionary<string, string[]>();
        await CheckFieldTypeChangesAsync(type, valid, errors, cancellationToken);
        await CheckRemovedStagesAsync(type, valid, errors, cancellationToken);
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        type.Name = valid.Name;
        type.SingularLabel = valid.SingularLabel;
        type.Prefix = valid.Prefix;
        type.CustomerField = valid.CustomerField;
        type.UpdatedAt = clock.GetUtcNow();
        ApplyFieldsAndStages(type, valid);
        await db.SaveChangesAsync(cancellationToken);
        return type;
    }

    /// <summary>
    /// Makes the type's fields and stages those of <paramref name="valid"/>, in its order: one with a known key is
    /// updated, a new one added; a field left out is hidden with its values kept, a stage left out is deleted (the
    /// caller has checked that no record is in it). A new type starts with none, so every one is added.
    /// </summary>
    private void ApplyFieldsAndStages(RecordType type, RecordTypeRules.ValidType valid)
    {
        var position = 0;
        foreach (var f in valid.Fields)
        {
            var field = type.Fields.FirstOrDefault(x => x.Key == f.Key);
            if (field is null)
            {
                field = new RecordField { Key = f.Key, Label = f.Label };
                type.Fields.Add(field);
            }
            (field.Label, field.Type, field.Required, field.Tracked, field.Choices, field.Currency) =
                (f.Label, f.Type, f.Required, f.Tracked, f.Choices, f.Currency);
            field.Position = position++;
            field.Removed = false;
        }
        foreach (var gone in type.Fields.Where(x => !x.Removed && valid.Fields.All(f => f.Key != x.Key)))
        {
            gone.Removed = true; // hidden, its values kept
            gone.Position = position++;
        }
        for (var i = 0; i < valid.Stages.Count; i++)
        {
            var s = valid.Stages[i];
            var stage = type.Stages.FirstOrDefault(x => x.Key == s.Key);
            if (stage is null)
            {
                stage = new RecordStage { Key = s.Key!, Name = s.Name! };
                type.Stages.Add(stage);
            }
            (stage.Name, stage.Position, stage.IsDone, stage.IsCancelled) = (s.Name!, i, s.Done == true, s.Cancelled == true);
        }
        foreach (var gone in type.Stages.Where(x => valid.Stages.All(s => s.Key != x.Key)).ToList())
        {
            type.Stages.Remove(gone);
            db.Remove(gone);
        }
    }

    /// <summary>Refused while records of the type exist, with how many.</summary>
    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var type = await db.RecordTypes.FirstOrDefaultAsync(t => t.Key == key.ToLowerInvariant(), cancellationToken)
            ?? throw new NotFoundException($"Record type \"{key}\"");
        var count = await db.Records.CountAsync(r => r.RecordTypeId == type.Id, cancellationToken);
        if (count > 0)
        {
            throw new InvalidInputException("key", $"{type.Name} has {count:N0} record{(count == 1 ? "" : "s")}; a type is deleted only when it has none.");
        }
        db.RecordTypes.Remove(type);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task CheckFieldTypeChangesAsync(RecordType type, RecordTypeRules.ValidType valid, Dictionary<string, string[]> errors,
        CancellationToken cancellationToken)
    {
        for (var i = 0; i < valid.Fields.Count; i++)
        {
            var f = valid.Fields[i];
            if (type.Fields.FirstOrDefault(x => x.Key == f.Key) is not { } existing || existing.Type == f.Type)
            {
                continue;
            }
            var values = await db.RecordValues.CountAsync(v => v.FieldId == existing.Id && v.Text != null, cancellationToken);
            if (values > 0)
            {
                errors[$"fields[{i}].type"] = [$"{existing.Label} is a {FieldTypes.NameOf(existing.Type)} field with {values:N0} value{(values == 1 ? "" : "s")}: " +
                    $"its type cannot change. Add a new field instead (the old one can be removed; its values are kept)."];
            }
        }
    }

    private async Task CheckRemovedStagesAsync(RecordType type, RecordTypeRules.ValidType valid, Dictionary<string, string[]> errors,
        CancellationToken cancellationToken)
    {
        foreach (var gone in type.Stages.Where(x => valid.Stages.All(s => s.Key != x.Key)))
        {
            var count = await db.Records.CountAsync(r => r.StageId == gone.Id, cancellationToken);
            if (count > 0)
            {
                errors["stages"] = [$"{count:N0} record{(count == 1 ? " is" : "s are")} in the stage \"{gone.Name}\": move {(count == 1 ? "it" : "them")} to another stage before removing it."];
            }
        }
    }
}
