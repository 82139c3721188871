using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Parley.Core.Data;

/// <summary>
/// Inserts new rows of one entity type with a plain <c>INSERT … RETURNING</c> built from the EF model (table, columns,
/// value converters, parameter types), without the change tracker: for the hot write paths, where EF's graph
/// attach, change detection and command batching cost more than the insert itself. SQLite reuses one prepared
/// statement for every row; PostgreSQL gets all rows in one round trip (a <see cref="DbBatch"/>). Runs in the
/// context's current transaction (the caller begins and commits it) and sets each row's generated key. Entities
/// with shadow properties are refused: their values live only in the change tracker.
/// </summary>
public static class RowInserter
{
    private static readonly ConcurrentDictionary<(IModel, Type), InsertPlan> Plans = new();

    public static async Task InsertAsync<T>(ParleyDbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var plan = Plans.GetOrAdd((db.Model, typeof(T)), key => InsertPlan.For(db, key.Item2));
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("RowInserter runs inside the caller's transaction.");
        if (connection.CanCreateBatch) await InsertBatchedAsync(plan, connection, transaction, rows, ct);
        else await InsertOneByOneAsync(plan, connection, transaction, rows, ct);
    }

    private static async Task InsertOneByOneAsync<T>(InsertPlan plan, DbConnection connection, DbTransaction transaction, IReadOnlyList<T> rows,
        CancellationToken ct) where T : class
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = plan.Sql;
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            plan.AddParameters(command, command.Parameters, row);
            plan.SetKey(row, await command.ExecuteScalarAsync(ct));
        }
    }

    private static async Task InsertBatchedAsync<T>(InsertPlan plan, DbConnection connection, DbTransaction transaction, IReadOnlyList<T> rows,
        CancellationToken ct) where T : class
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
        await using var reader = await batch.ExecuteReaderAsync(ct);
        foreach (var row in rows)
        {
            if (!await reader.ReadAsync(ct)) throw new InvalidOperationException($"The insert of a {typeof(T).Name} returned no key.");
            plan.SetKey(row, reader.GetValue(0));
            await reader.NextResultAsync(ct);
        }
    }

    private sealed class InsertPlan(string sql, IProperty key, IReadOnlyList<(IProperty Property, RelationalTypeMapping Mapping, string Name)> columns)
    {
        public string Sql { get; } = sql;

        public static InsertPlan For(ParleyDbContext db, Type type)
        {
            var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var key = entity.FindPrimaryKey()?.Properties is [var single] && single.ValueGenerated == ValueGenerated.OnAdd
                ? single
                : throw new InvalidOperationException($"{type.Name} needs one generated key to be inserted this way.");
            var properties = entity.GetProperties().Where(p => p != key).ToList();
            if (properties.FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
                throw new InvalidOperationException($"{type.Name}.{shadow.Name} is a shadow property; insert {type.Name} through EF.");
            var sqlHelper = db.GetService<ISqlGenerationHelper>();
            var columns = properties.Select((p, i) => (p, p.GetRelationalTypeMapping(), sqlHelper.GenerateParameterName($"p{i}"))).ToList();
            var sql = $"INSERT INTO {sqlHelper.DelimitIdentifier(table.Name, table.Schema)} " +
                      $"({string.Join(", ", columns.Select(c => sqlHelper.DelimitIdentifier(c.p.GetColumnName(table)!)))}) " +
                      $"VALUES ({string.Join(", ", columns.Select(c => c.Item3))}) " +
                      $"RETURNING {sqlHelper.DelimitIdentifier(key.GetColumnName(table)!)}";
            return new InsertPlan(sql, key, columns);
        }

        public void AddParameters(DbCommand factory, DbParameterCollection parameters, object row)
        {
            foreach (var (property, mapping, name) in columns)
                parameters.Add(mapping.CreateParameter(factory, name, property.GetGetter().GetClrValueUsingContainingEntity(row), property.IsNullable));
        }

        public void SetKey(object row, object? value) =>
            key.PropertyInfo!.SetValue(row, Convert.ChangeType(value, key.ClrType));
    }
}
