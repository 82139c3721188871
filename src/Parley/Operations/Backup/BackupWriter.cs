using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Parley.Data.Sqlite;

namespace Parley.Operations.Backup;

/// <summary>
/// <c>parley backup</c>: one .tar.gz with the manifest, a consistent copy of the SQLite database taken with SQLite's
/// online backup API (while serve runs and writes), the Data Protection keys that decrypt the secrets in it (relay
/// passwords, DKIM keys, the signing key) and the listener's self-signed certificate. DKIM keys and attachments live in
/// the database, so they come with it. The archive is written beside its name and renamed at the end: a failed backup
/// leaves no half archive under that name.
/// </summary>
public static class BackupWriter
{
    public const string KeysFolder = "keys";
    public static readonly string[] LooseFiles = [Hosting.SmtpTlsSetup.SelfSignedFile];

    /// <returns>The manifest written.</returns>
    public static async Task<BackupManifest> WriteAsync(string dataDir, string archive, bool keysOnly, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Path.Combine(dataDir, KeysFolder)))
        {
            throw new BackupException($"{dataDir} holds no Parley data (it has no keys folder); give the data directory with --data-dir.", BackupException.Other);
        }

        var database = Path.Combine(dataDir, SqliteStorage.FileName);
        if (!keysOnly && (!File.Exists(database) || new FileInfo(database).Length == 0))
        {
            throw new BackupException($"{dataDir} has no SQLite database. For PostgreSQL, back up the database with pg_dump: it holds the Data Protection keys too.", BackupException.Other);
        }

        var target = Path.GetFullPath(archive);
        var partial = target + ".partial";
        var copy = target + ".db.partial";
        try
        {
            string? migration = null;
            var files = new List<(string Name, string Source)>();
            if (!keysOnly)
            {
                migration = CopyDatabase(database, copy);
                files.Add((SqliteStorage.FileName, copy));
            }
            foreach (var key in Directory.EnumerateFiles(Path.Combine(dataDir, KeysFolder)).Order(StringComparer.Ordinal))
            {
                files.Add(($"{KeysFolder}/{Path.GetFileName(key)}", key));
            }

            foreach (var loose in LooseFiles.Where(f => File.Exists(Path.Combine(dataDir, f))))
            {
                files.Add((loose, Path.Combine(dataDir, loose)));
            }

            var manifest = new BackupManifest
            {
                ParleyVersion = BackupManifest.ThisVersion,
                CreatedAt = DateTimeOffset.UtcNow,
                Database = keysOnly ? "none" : "sqlite",
                Migration = migration,
                Files = [.. files.Select(f => new BackupFile(f.Name, new FileInfo(f.Source).Length, Sha256Of(f.Source)))],
            };
            await using (var output = Hosting.DataDirectory.CreateFile(partial, FileMode.Create))
            await using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
            await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
            {
                var manifestEntry = new PaxTarEntry(TarEntryType.RegularFile, BackupManifest.EntryName) { DataStream = new MemoryStream(manifest.ToJson()) };
                await tar.WriteEntryAsync(manifestEntry, cancellationToken);
                foreach (var (name, source) in files)
                {
                    await using var content = File.OpenRead(source);
                    await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = content, Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite }, cancellationToken);
                }
            }
            File.Move(partial, target, overwrite: true);
            return manifest;
        }
        finally
        {
            File.Delete(partial);
            File.Delete(copy);
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>SQLite's online backup of the live database into <paramref name="copy"/>; returns the copy's last migration.</summary>
    private static string? CopyDatabase(string database, string copy)
    {
        File.Delete(copy);
        using (var source = new SqliteConnection($"Data Source={database};Pooling=False;Default Timeout=30"))
        using (var destination = new SqliteConnection($"Data Source={copy};Pooling=False"))
        {
            source.Open();
            destination.Open();
            source.BackupDatabase(destination);
            // One file, no -wal beside it: the copy is complete on its own.
            using var journal = destination.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode=DELETE;";
            journal.ExecuteNonQuery();
        }
        return LastMigration(copy);
    }

    public static string? LastMigration(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId DESC LIMIT 1";
        try
        {
            return command.ExecuteScalar() as string;
        }
        catch (SqliteException)
        {
            return null; // never migrated
        }
    }

    public static string Sha256Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>A backup or restore refused or failed for a reason the operator can act on; the message is the one line to show.</summary>
/// <param name="exitCode">For scripts: 65 (EX_DATAERR) a damaged or newer archive, 73 (EX_CANTCREAT) a target already in use, 1 the rest.</param>
public sealed class BackupException(string message, int exitCode = BackupException.DataError, Exception? inner = null) : Exception(message, inner)
{
    public const int DataError = 65;
    public const int TargetInUse = 73;
    public const int Other = 1;

    public int ExitCode { get; } = exitCode;
}
