using System.CommandLine;

namespace Parley.Cli;

/// <summary>Options several verbs share, so each is spelled and explained the same way everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> DataDir() => new("--data-dir")
    {
        Description = "Where Parley keeps its database, keys and files",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PARLEY_DATA_DIR") ?? "./parley-data",
    };

    public static Option<string?> Database() => new("--database")
    {
        Description = "A PostgreSQL connection string (\"Host=…;Database=…;Username=…\"); default: SQLite in the data directory",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PARLEY_DATABASE"),
    };
}
