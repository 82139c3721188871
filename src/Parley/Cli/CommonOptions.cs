using System.CommandLine;
using Parley.Hosting;

namespace Parley.Cli;

/// <summary>Options several verbs share, so each is spelled and explained the same way everywhere.</summary>
public static class CommonOptions
{
    /// <summary>The same default for every verb (<see cref="DataDirectory.Default"/>), so `token create` finds what `serve` made.</summary>
    public static Option<string> DataDir() => new("--data-dir")
    {
        Description = "Where Parley keeps its database, keys and files (default: $PARLEY_DATA_DIR, else ~/.local/share/parley)",
        DefaultValueFactory = result =>
        {
            var directory = DataDirectory.Default;
            if (DataDirectory.OldDataNextTo(directory) is { } old)
            {
                result.AddError($"Parley keeps its data in {directory} now, and this folder has the data of an older Parley in {old}. " +
                    $"Move it there (mv {old} {directory}), or give --data-dir {old}.");
            }

            return directory;
        },
    };

    public static Option<string?> Database() => new("--database")
    {
        Description = "A PostgreSQL connection string (\"Host=…;Database=…;Username=…\"); default: SQLite in the data directory",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PARLEY_DATABASE"),
    };
}
