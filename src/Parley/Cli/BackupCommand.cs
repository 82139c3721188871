using System.CommandLine;
using Parley.Operations.Backup;

namespace Parley.Cli;

/// <summary>
/// <c>parley backup</c> and <c>parley restore</c>. Exit codes for scripts: 0 done, 65 the archive is damaged or from a
/// newer Parley, 73 the target cannot be used (a restore over data), 1 anything else; each refusal is one line on stderr.
/// </summary>
public static class BackupCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var to = new Option<string>("--to") { HelpName = "FILE", Description = "The archive to write (.tar.gz); replaced if it exists, only once the new one is complete", Required = true };
        var keysOnly = new Option<bool>("--keys-only")
        {
            Description = "Only the Data Protection keys (and the listener's certificate), for a PostgreSQL database you back up with pg_dump",
        };
        var command = new Command("backup", "Back up the data directory while Parley runs: the SQLite database (online backup), the keys that decrypt its secrets, and the listener's certificate") { dataDir, to, keysOnly };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var archive = parse.GetValue(to)!;
            try
            {
                var manifest = await BackupWriter.WriteAsync(Path.GetFullPath(parse.GetValue(dataDir)!), archive, parse.GetValue(keysOnly), cancellationToken);
                var size = new FileInfo(archive).Length;
                Console.WriteLine(manifest.Database == "sqlite"
                    ? $"Backed up {parse.GetValue(dataDir)} to {archive} ({Size(size)}): the database at migration {manifest.Migration}, {manifest.Files.Count - 1} key and certificate file(s)."
                    : $"Backed up the keys of {parse.GetValue(dataDir)} to {archive} ({Size(size)}, {manifest.Files.Count} file(s)). Back up the PostgreSQL database with pg_dump alongside.");
                return 0;
            }
            catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                await Console.Error.WriteLineAsync($"parley backup: {e.Message}");
                return (e as BackupException)?.ExitCode ?? BackupException.Other;
            }
        });
        return command;
    }

    public static Command CreateRestore()
    {
        var dataDir = CommonOptions.DataDir();
        var file = new Argument<string>("FILE") { Description = "An archive written by 'parley backup'" };
        var command = new Command("restore", "Restore a backup into a new or empty data directory (refused over existing data, or for a damaged archive)") { file, dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var archive = parse.GetValue(file)!;
            var target = Path.GetFullPath(parse.GetValue(dataDir)!);
            try
            {
                var manifest = await BackupRestorer.RestoreAsync(archive, target, cancellationToken);
                Console.WriteLine(manifest.Database == "sqlite"
                    ? $"Restored {archive} (made {manifest.CreatedAt:yyyy-MM-dd HH:mm} UTC, database at migration {manifest.Migration}) into {target}. Start Parley with: parley serve --data-dir {target}"
                    : $"Restored the keys from {archive} into {target}. Restore the PostgreSQL database with pg_restore, then start Parley with --data-dir {target} --database \"…\".");
                return 0;
            }
            catch (BackupException e)
            {
                await Console.Error.WriteLineAsync($"parley restore: {e.Message}");
                return e.ExitCode;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"parley restore: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 * 1024 => $"{bytes / 1024.0:F0} KB",
        _ => $"{bytes / 1024.0 / 1024.0:F1} MB",
    };
}
