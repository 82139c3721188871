using Microsoft.EntityFrameworkCore;

namespace Parley.Core.Tests.Fixtures;

/// <summary>
/// Makes the database itself refuse some inserts (a trigger), as a full disk or a broken file would: closer to a real
/// failure than an EF interceptor, and it also catches writes that bypass EF (RowWriter).
/// </summary>
public static class DatabaseRefusal
{
    /// <summary>Refuses inserts into <paramref name="table"/>; only rows whose <paramref name="column"/> equals <paramref name="value"/> when given.</summary>
    public static Task RefuseInsertsAsync(this TestEnv env, string table, string message, string? column = null, string? value = null)
    {
        var name = $"refuse_{table.ToLowerInvariant()}";
        var when = column is null ? null : $"NEW.\"{column}\" = '{value!.Replace("'", "''")}'";
        var sql = env.Database.Provider == "postgres"
            ? $"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
              $"IF {when ?? "TRUE"} THEN RAISE EXCEPTION '{message}'; END IF; RETURN NEW; END $$; " +
              $"CREATE TRIGGER {name} BEFORE INSERT ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION {name}();"
            : $"CREATE TRIGGER {name} BEFORE INSERT ON \"{table}\" {(when is null ? "" : "WHEN " + when)} " +
              $"BEGIN SELECT RAISE(ABORT, '{message}'); END;";
        return env.Db(db => db.Database.ExecuteSqlRawAsync(sql));
    }
}
