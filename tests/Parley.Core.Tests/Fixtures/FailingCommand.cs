using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parley.Core.Tests.Fixtures;

/// <summary>Makes the database fail any command whose SQL contains <paramref name="sqlFragment"/> (a crash mid-write).</summary>
public sealed class FailingCommand(string sqlFragment) : DbCommandInterceptor
{
    public int Failures { get; private set; }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Check(DbCommand command)
    {
        if (!command.CommandText.Contains(sqlFragment, StringComparison.Ordinal))
        {
            return;
        }

        Failures++;
        throw new SimulatedCrashException($"Simulated failure of: {sqlFragment}");
    }
}

public sealed class SimulatedCrashException(string message) : Exception(message);

/// <summary>Runs <see cref="Before"/> just before the first command whose SQL contains the fragment executes (to force an interleaving).</summary>
public sealed class PauseBeforeCommand(string sqlFragment) : DbCommandInterceptor
{
    private int _fired;

    public Func<Task>? Before { get; set; }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Before is not null && command.CommandText.Contains(sqlFragment, StringComparison.Ordinal) && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            await Before();
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (Before is not null && command.CommandText.Contains(sqlFragment, StringComparison.Ordinal) && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            await Before();
        }

        return result;
    }
}
