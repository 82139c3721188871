namespace Parley.Deliverability.Tests.Support;

/// <summary>Finds ../shared/conformance/ relative to the repository root (the folder holding Parley.slnx).</summary>
public static class ConformanceData
{
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Parley.slnx not found above " + AppContext.BaseDirectory);
    }

    public static string PathOf(string relative) =>
        Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "conformance", relative));

    public static string ReadText(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>A message file with CRLF line endings, as it travels over SMTP.</summary>
    public static byte[] ReadMessage(string relative) => ToCrLf(File.ReadAllBytes(PathOf(relative)));

    public static byte[] ToCrLf(byte[] bytes)
    {
        var text = System.Text.Encoding.Latin1.GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        return System.Text.Encoding.Latin1.GetBytes(text);
    }
}
