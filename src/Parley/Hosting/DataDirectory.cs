using System.Runtime.InteropServices;

namespace Parley.Hosting;

/// <summary>
/// Keeps the data directory Parley's alone: the database holds the signing keys' ciphertext and every message, the
/// keys directory what decrypts them. The directory and its folders are 0700, every file 0600 — from the first byte for
/// what Parley creates (the process umask, and explicit modes), and fixed at start for what an older version left.
/// </summary>
public static class DataDirectory
{
    /// <summary>What a data directory made by Parley before it had one default was called, in whatever folder a verb ran.</summary>
    public const string OldRelativeDefault = "parley-data";

    /// <summary>
    /// Where every verb keeps its data when it is not given <c>--data-dir</c>: <c>PARLEY_DATA_DIR</c>, else the user's
    /// data folder (<c>$XDG_DATA_HOME/parley</c>, usually <c>~/.local/share/parley</c>). Never relative to the working
    /// folder, which <c>dotnet run</c> sets to the project's: one verb must not find another's data missing.
    /// </summary>
    public static string Default
    {
        get
        {
            if (Environment.GetEnvironmentVariable("PARLEY_DATA_DIR") is { Length: > 0 } configured)
            {
                return Path.GetFullPath(configured);
            }

            var userData = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            // A service account without a home has no user data folder; next to the program is still one place for every verb.
            return Path.Combine(userData.Length > 0 ? userData : AppContext.BaseDirectory, "parley");
        }
    }

    /// <summary>
    /// A data directory an older Parley made in the working folder, when the default has none yet: using the default
    /// then would start an empty installation beside the real one, so the verb stops and says how to go on.
    /// </summary>
    public static string? OldDataNextTo(string defaultDirectory)
    {
        var old = Path.GetFullPath(OldRelativeDefault);
        return File.Exists(Path.Combine(old, Data.Sqlite.SqliteStorage.FileName)) && !File.Exists(Path.Combine(defaultDirectory, Data.Sqlite.SqliteStorage.FileName))
            && !string.Equals(old, Path.GetFullPath(defaultDirectory), StringComparison.Ordinal)
            ? old
            : null;
    }

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupAndOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Files and folders the process creates from now on are its user's only (umask 077), including those written by
    /// libraries that take no mode: SQLite's -wal and -shm, Data Protection's key files.
    /// </summary>
    public static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(0b000_111_111);
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> (0700), and <paramref name="files"/> in it (empty, 0600) so that what opens them
    /// later keeps that mode; then takes group and other access away from anything already inside.
    /// </summary>
    /// <returns>What had to be fixed, for the start-up log; empty when nothing was.</returns>
    public static IReadOnlyList<string> Secure(string path, params string[] files)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return [];
        }

        var fixes = new List<string>();
        Directory.CreateDirectory(path, OwnerOnlyDirectory);
        foreach (var name in files)
        {
            var file = Path.Combine(path, name);
            if (!File.Exists(file))
            {
                new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile }).Dispose();
            }
        }
        Fix(new DirectoryInfo(path), OwnerOnlyDirectory, fixes);
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            Fix(entry, entry is DirectoryInfo ? OwnerOnlyDirectory : OwnerOnlyFile, fixes);
        }

        return fixes;
    }

    /// <summary>Opens a new file for writing, 0600 from its first byte.</summary>
    public static FileStream CreateFile(string path, FileMode mode = FileMode.CreateNew) =>
        OperatingSystem.IsWindows()
            ? new FileStream(path, mode, FileAccess.Write)
            : new FileStream(path, new FileStreamOptions { Mode = mode, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile });

    /// <summary>Creates a folder of the data directory, 0700.</summary>
    public static DirectoryInfo Folder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }

        return Directory.CreateDirectory(path, OwnerOnlyDirectory);
    }

    private static void Fix(FileSystemInfo entry, UnixFileMode mode, List<string> fixes)
    {
        if (OperatingSystem.IsWindows() || entry.LinkTarget is not null)
        {
            return; // a link's own mode means nothing
        }

        var current = entry.UnixFileMode;
        if ((current & GroupAndOther) == 0)
        {
            return;
        }

        entry.UnixFileMode = current & ~GroupAndOther | mode;
        fixes.Add($"{entry.FullName} was {Octal(current)}, now {Octal(entry.UnixFileMode)}");
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);

    // DllImport, not LibraryImport: that one needs unsafe code for what is one call with one integer.
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
