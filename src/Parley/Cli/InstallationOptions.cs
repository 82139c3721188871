using System.CommandLine;
using Parley.Hosting;

namespace Parley.Cli;

/// <summary>
/// Which installation a one-shot verb works on (--data-dir, --database), and opening it: the server's services
/// without its workers, with the schema brought up to date first.
/// </summary>
public sealed class InstallationOptions
{
    public Option<string> DataDir { get; } = CommonOptions.DataDir();
    public Option<string?> Database { get; } = CommonOptions.Database();

    public async Task<WebApplication> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var app = ParleyServer.Build(new ServeOptions { DataDir = parse.GetValue(DataDir)!, Database = parse.GetValue(Database), RunWorkers = false });
        try
        {
            await StorageSetup.MigrateAsync(app.Services, cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
