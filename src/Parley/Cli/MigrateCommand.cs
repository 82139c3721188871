using System.CommandLine;
using Parley.Hosting;

namespace Parley.Cli;

public static class MigrateCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var database = CommonOptions.Database();
        var command = new Command("migrate", "Create or upgrade the database schema, then exit") { dataDir, database };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var app = ParleyServer.Build(new ServeOptions { DataDir = parse.GetValue(dataDir)!, Database = parse.GetValue(database), RunWorkers = false });
            await StorageSetup.MigrateAsync(app.Services, cancellationToken);
            Console.WriteLine("The database is up to date.");
            return 0;
        });
        return command;
    }
}
