namespace Parley.EndToEnd.Tests;

/// <summary>
/// Without --data-dir every verb uses one data directory, whatever folder it runs in (dotnet run puts it in the
/// project's): what `admin create` made, `token create` finds, and the working folder gets nothing.
/// </summary>
public sealed class DataDirectoryDefaultTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("parley-default-dir-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Dictionary<string, string?> UserWithHome(string home) =>
        new() { ["HOME"] = home, ["XDG_DATA_HOME"] = null, ["PARLEY_DATA_DIR"] = null };

    [Fact]
    public async Task Every_verb_without_data_dir_uses_the_one_default_and_writes_nothing_where_it_runs()
    {
        var home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        var project = Directory.CreateDirectory(Path.Combine(_root, "src", "Parley")).FullName;
        var elsewhere = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;
        var password = Path.Combine(_root, "password");
        await File.WriteAllTextAsync(password, "correct-horse-battery\n");

        var (created, _, createErr) = await ParleyCli.RunAsync(null, project, UserWithHome(home),
            "admin", "create", "--email", "ada@parley.test", "--name", "Ada", "--password-file", password);
        Assert.True(created == 0, createErr);
        var (tokenExit, token, tokenErr) = await ParleyCli.RunAsync(null, elsewhere, UserWithHome(home), "token", "create");
        Assert.True(tokenExit == 0, tokenErr);
        Assert.StartsWith("pk_", token.Trim());

        Assert.True(File.Exists(Path.Combine(home, ".local", "share", "parley", "parley.db")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(project));
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));

        var (_, help, _) = await ParleyCli.RunAsync(null, project, UserWithHome(home), "token", "create", "--help");
        Assert.Contains("default: $PARLEY_DATA_DIR, else ~/.local/share/parley", help);
    }

    [Fact]
    public async Task The_data_of_an_older_parley_in_the_working_folder_stops_the_verb_with_how_to_go_on()
    {
        var home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        var project = Directory.CreateDirectory(Path.Combine(_root, "project")).FullName;
        var old = Path.Combine(project, "parley-data");
        var (migrated, _, migrateErr) = await ParleyCli.RunAsync(null, project, UserWithHome(home), "migrate", "--data-dir", old);
        Assert.True(migrated == 0, migrateErr);

        var (exit, _, stderr) = await ParleyCli.RunAsync(null, project, UserWithHome(home), "token", "create");
        Assert.Equal(1, exit);
        var fresh = Path.Combine(home, ".local", "share", "parley");
        Assert.Contains($"Parley keeps its data in {fresh} now, and this folder has the data of an older Parley in {old}. Move it there (mv {old} {fresh}), or give --data-dir {old}.", stderr);
        Assert.False(Directory.Exists(fresh)); // no second, empty installation beside the real one
    }
}
