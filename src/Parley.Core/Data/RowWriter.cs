using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Parley.Core.Data;

/// <summary>
/// Writes rows of one entity type with plain statements built from the EF model (table, columns, value converters,
/// parameter types), without the change tracker: <c>INSERT … RETURNING</c> for new rows, <c>UPDATE … WHERE key</c>
/// of named columns for changed ones. For the hot write paths, where EF's graph attach, change detection and
/// command batching cost more than the statements themselves. SQLite reuses one prepared statement for every row;
/// PostgreSQL gets all rows in one round trip (a <see cref="DbBatch"/>). Runs in the context's current transaction
/// (the caller begins and commits it); inserts set each row's generated key. Inserting entities with shadow
/// properties is refused: their values live only in the change tracker. EF's command interceptors do not see these
/// statements.
/// </summary>
public static class RowWriter
{
    private static readonly ConcurrentDictionary<(IModel, Type, string), Plan> Plans = new();

    public static Task InsertAsync<T>(ParleyDbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken) where T : class =>
        WriteAsync(db, rows, Plans.GetOrAdd((db.Model, typeof(T), ""), key => Plan.Insert(db, key.Item2)), cancellationToken);

    /// <summary>Writes <paramref name="properties"/> of each row (found by its key), as they are on the object.</summary>
    public static Task UpdateAsync<T>(ParleyDbContext db, IReadOnlyList<T> rows, IReadOnlyList<string> properties, CancellationToken cancellationToken) where T : class =>
        WriteAsync(db, rows, Plans.GetOrAdd((db.Model, typeof(T), string.Join(",", properties)), key => Plan.Update(db, key.Item2, properties)), cancellationToken);

    private static async Task WriteAsync<T>(ParleyDbContext db, IReadOnlyList<T> rows, Plan plan, CancellationToken cancellationToken) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("RowWriter runs inside the caller's transaction.");
        if (connection.CanCreateBatch)
        {
            await WriteBatchedAsync(plan, connection, transaction, rows, cancellationToken);
        }
        else
        {
            await WriteOneByOneAsync(plan, connection, transaction, rows, cancellationToken);
        }
    }

    private static async Task WriteOneByOneAsync<T>(Plan plan, DbConnection connection, DbTransaction transaction, IReadOnlyList<T> rows,
        CancellationToken cancellationToken) where T : class
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = plan.Sql;
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            plan.AddParameters(command, command.Parameters, row);
            if (plan.IsInsert)
            {
                plan.SetKey(row, await command.ExecuteScalarAsync(cancellationToken));
            }
            else
            {
                plan.CheckUpdated(row, await command.ExecuteNonQueryAsync(cancellationToken));
            }
        }
    }

    private static async Task WriteBatchedAsync<T>(Plan plan, DbConnection connection, DbTransaction transaction, IReadOnlyList<T> rows,
        CancellationToken cancellationToken) where T : class
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        // Parameters come from a command because the type mappings configure them on one; they are not added to it.
        await using var factory = connection.CreateCommand();
        foreach (var row in rows)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = plan.Sql;
            plan.AddParameters(factory, command.Parameters, row);
            batch.BatchCommands.Add(command);
        }
        if (!plan.IsInsert)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            for (var i = 0; i < rows.Count; i++)
            {
                plan.CheckUpdated(rows[i], batch.BatchCommands[i].RecordsAffected);
            }

            return;
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        foreach (var row in rows)
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"The insert of a {typeof(T).Name} returned no key.");
            }

            plan.SetKey(row, reader.GetValue(0));
            await reader.NextResultAsync(cancellationToken);
        }
    }

    private sealed class Plan(string sql, bool isInsert, IProperty key, IReadOnlyList<(IProperty Property, RelationalTypeMapping Mapping, string Name)> parameters)
    {
        public string Sql { get; } = sql;
        public bool IsInsert { get; } = isInsert;

        public static Plan Insert(ParleyDbContext db, Type type)
        {
            var (entity, table, key, sql) = Describe(db, type);
            var properties = entity.GetProperties().Where(p => p != key).ToList();
            if (properties.FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
            {
                throw new InvalidOperationException($"{type.Name}.{shadow.Name} is a shadow property; insert {type.Name} through EF.");
            }

            var columns = Parameters(sql, properties);
            return new Plan(
                $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} " +
                $"({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))}) " +
                $"VALUES ({string.Join(", ", columns.Select(c => c.Name))}) RETURNING {sql.DelimitIdentifier(key.GetColumnName(table)!)}",
                true, key, columns);
        }

        public static Plan Update(ParleyDbContext db, Type type, IReadOnlyList<string> names)
        {
            var (entity, table, key, sql) = Describe(db, type);
            var properties = names.Select(n => entity.FindProperty(n) ?? throw new InvalidOperationException($"{type.Name} has no property {n}.")).ToList();
            if (properties.Contains(key))
            {
                throw new InvalidOperationException("The key finds the row; it is not updated.");
            }

            var columns = Parameters(sql, [.. properties, key]);
            var set = columns.Take(properties.Count).Select(c => $"{sql.DelimitIdentifier(c.Property.GetColumnName(table)!)} = {c.Name}");
            return new Plan(
                $"UPDATE {sql.DelimitIdentifier(table.Name, table.Schema)} SET {string.Join(", ", set)} " +
                $"WHERE {sql.DelimitIdentifier(key.GetColumnName(table)!)} = {columns[^1].Name}",
                false, key, columns);
        }

        private static (IEntityType, StoreObjectIdentifier, IProperty, ISqlGenerationHelper) Describe(ParleyDbContext db, Type type)
        {
            var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var key = entity.FindPrimaryKey()?.Properties is [var single] && single.ValueGenerated == ValueGenerated.OnAdd
                ? single
                : throw new InvalidOperationException($"{type.Name} needs one generated key to be written this way.");
            return (entity, table, key, db.GetService<ISqlGenerationHelper>());
        }

        private static List<(IProperty Property, RelationalTypeMapping Mapping, string Name)> Parameters(ISqlGenerationHelper sql, IEnumerable<IProperty> properties) =>
            properties.Select((p, i) => (p, p.GetRelationalTypeMapping(), sql.GenerateParameterName($"p{i}"))).ToList();

        public void AddParameters(DbCommand factory, DbParameterCollection into, object row)
        {
            foreach (var (property, mapping, name) in parameters)
            {
                into.Add(mapping.CreateParameter(factory, name, property.GetGetter().GetClrValueUsingContainingEntity(row), property.IsNullable));
            }
        }

        public void SetKey(object row, object? value) => key.PropertyInfo!.SetValue(row, Convert.ChangeType(value, key.ClrType));

        public void CheckUpdated(object row, int affected)
        {
            if (affected != 1)
            {
                throw new DbUpdateConcurrencyException($"The {row.GetType().Name} with key {key.PropertyInfo!.GetValue(row)} was not found to update ({affected} rows matched).");
            }
        }
    }
}
