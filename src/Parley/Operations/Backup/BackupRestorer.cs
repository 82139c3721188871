using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Parley.Hosting;

namespace Parley.Operations.Backup;

/// <summary>
/// <c>parley restore</c>: into a data directory that does not exist or is empty, only. The whole archive is read and
/// checked first, in a folder of its own beside the target — the manifest (format, schema version), then every file
/// against its size and SHA-256, nothing more, nothing missing — and only a complete, intact archive becomes the data
/// directory, by one rename. Anything else is refused with one line, and the target stays as it was.
/// </summary>
public static class BackupRestorer
{
    public static async Task<BackupManifest> RestoreAsync(string archive, string dataDir, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(dataDir);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new BackupException($"{target} is not empty; restore only into a new or empty data directory (move the old one aside first).", BackupException.TargetInUse);
        }

        if (File.Exists(target))
        {
            throw new BackupException($"{target} is a file, not a data directory.", BackupException.TargetInUse);
        }

        if (!File.Exists(archive))
        {
            throw new BackupException($"{archive} does not exist.", BackupException.Other);
        }

        var parent = Path.GetDirectoryName(target) ?? throw new BackupException($"{target} has no parent folder.", BackupException.Other);
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.restoring-{Guid.NewGuid().ToString("N")[..8]}");
        DataDirectory.Folder(staging);
        try
        {
            var manifest = await ExtractAsync(archive, staging, cancellationToken);
            DataDirectory.Folder(Path.Combine(staging, BackupWriter.KeysFolder)); // also when the key ring was still empty
            DataDirectory.Secure(staging);
            if (Directory.Exists(target))
            {
                Directory.Delete(target); // empty, checked above
            }

            Directory.Move(staging, target);
            return manifest;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static async Task<BackupManifest> ExtractAsync(string archive, string staging, CancellationToken cancellationToken)
    {
        try
        {
            await using var input = File.OpenRead(archive);
            await using var gzip = new GZipStream(input, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            var first = await tar.GetNextEntryAsync(copyData: false, cancellationToken);
            if (first is not { Name: BackupManifest.EntryName, DataStream: { } manifestStream })
            {
                throw new BackupException($"{archive} is not a Parley backup (it does not start with {BackupManifest.EntryName}).");
            }

            var manifest = BackupManifest.FromJson(manifestStream) ?? throw new BackupException($"{archive} has an empty manifest.");
            CheckVersion(archive, manifest);

            var expected = manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType != TarEntryType.RegularFile || !expected.TryGetValue(entry.Name, out var file) || !seen.Add(entry.Name) || entry.DataStream is null)
                {
                    throw new BackupException($"{archive} holds {entry.Name}, which its manifest does not list; it is not an intact Parley backup.");
                }

                var destination = Path.GetFullPath(Path.Combine(staging, file.Path));
                if (!destination.StartsWith(staging + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new BackupException($"{archive} names a file outside the data directory ({entry.Name}).");
                }

                DataDirectory.Folder(Path.GetDirectoryName(destination)!);
                await CopyCheckedAsync(entry.DataStream, destination, file, archive, cancellationToken);
            }
            var missing = expected.Keys.Except(seen).ToList();
            if (missing.Count > 0)
            {
                throw new BackupException($"{archive} is truncated or damaged: {missing.Count} file(s) its manifest lists are missing ({string.Join(", ", missing.Take(3))}).");
            }

            return manifest;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException or System.Text.Json.JsonException
            || (e is IOException && e is not FileNotFoundException))
        {
            throw new BackupException($"{archive} is truncated or damaged ({e.Message.TrimEnd('.')}); nothing was restored.", BackupException.DataError, e);
        }
    }

    private static void CheckVersion(string archive, BackupManifest manifest)
    {
        if (manifest.Format > BackupManifest.CurrentFormat)
        {
            throw new BackupException($"{archive} was made by a newer Parley ({manifest.ParleyVersion}, archive format {manifest.Format}); restore it with that version or a later one.");
        }

        var known = BackupManifest.KnownMigrations;
        if (manifest.Migration is { } migration && !known.Contains(migration))
        {
            var newer = known.Count == 0 || string.CompareOrdinal(migration, known[^1]) > 0;
            throw new BackupException(newer
                ? $"{archive} was made by a newer Parley ({manifest.ParleyVersion}): its database is at migration {migration}, and this Parley knows up to {known[^1]}. Restore it with that version or a later one."
                : $"{archive} has a database at migration {migration}, which this Parley does not know; it was not made by a Parley of this line.");
        }
    }

    private static async Task CopyCheckedAsync(Stream content, string destination, BackupFile file, string archive, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        await using (var output = DataDirectory.CreateFile(destination))
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > file.Size)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        if (size != file.Size || Convert.ToHexStringLower(hash.GetHashAndReset()) != file.Sha256)
        {
            throw new BackupException($"{archive} is truncated or damaged: {file.Path} does not match its checksum; nothing was restored.");
        }
    }
}
