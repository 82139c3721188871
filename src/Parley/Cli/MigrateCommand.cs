using System.CommandLine;

namespace Parley.Cli;

public static class MigrateCommand
{
    public static Command Create()
    {
        var installation = new InstallationOptions();
        var command = new Command("migrate", "Create or upgrade the database schema, then exit") { installation.DataDir, installation.Database };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var app = await installation.OpenAsync(parse, cancellationToken);
            Console.WriteLine("The database is up to date.");
            return 0;
        });
        return command;
    }
}
