using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.Migrations;
using Parley.Data.Sqlite;

namespace Parley.Operations.Backup;

/// <summary>
/// The first entry of a backup archive: what it holds and how to check it. <see cref="Migration"/> is the last
/// migration applied to the database copy (the schema version), so a Parley older than the backup refuses it before
/// touching anything; each file carries its size and SHA-256, so a truncated or damaged archive is refused whole.
/// </summary>
public sealed record BackupManifest
{
    public const string EntryName = "manifest.json";

    /// <summary>The archive layout; a Parley that knows a lower one refuses the archive.</summary>
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string ParleyVersion { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>"sqlite" (the database file is in the archive) or "none" (keys only, for PostgreSQL).</summary>
    public required string Database { get; init; }
    public string? Migration { get; init; }
    public required IReadOnlyList<BackupFile> Files { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static BackupManifest? FromJson(Stream json) => JsonSerializer.Deserialize<BackupManifest>(json, Json);

    public static string ThisVersion => typeof(BackupManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>The migrations this build knows, oldest first (their ids sort by time).</summary>
    public static IReadOnlyList<string> KnownMigrations { get; } = typeof(SqliteStorage).Assembly.GetTypes()
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id).OfType<string>().Order(StringComparer.Ordinal).ToList();
}

/// <param name="Path">Relative to the data directory, with '/' separators.</param>
public sealed record BackupFile(string Path, long Size, string Sha256);
