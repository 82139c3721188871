using System.CommandLine;
using Parley.Core.Reports;

namespace Parley.Cli;

/// <summary>
/// <c>parley reports import FILE…</c>: DMARC aggregate and TLS reports from files (XML, JSON, .gz, .zip, .eml), folders
/// (every file in them) and mbox files (each message), stored as the API and the reports inbox store them. Prints one
/// line per report; exits 1 when something was refused (it is kept raw, with the reason), 0 otherwise.
/// </summary>
public static class ReportsCommand
{
    /// <summary>The files a folder may give at most in one run.</summary>
    private const int MaxFiles = 100_000;

    public static Command Create()
    {
        var installation = new InstallationOptions();
        var files = new Argument<string[]>("FILE") { Description = "Report files, folders of them, or mbox files", Arity = ArgumentArity.OneOrMore };
        var import = new Command("import", "Read DMARC aggregate and TLS reports from files, folders or mbox files and store them") { installation.DataDir, installation.Database, files };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var inputs = new List<string>();
            foreach (var path in parse.GetValue(files)!)
            {
                if (Directory.Exists(path))
                {
                    inputs.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(MaxFiles));
                }
                else if (File.Exists(path))
                {
                    inputs.Add(path);
                }
                else
                {
                    await Console.Error.WriteLineAsync($"{path}: no such file or folder.");
                    return 2;
                }
            }

            await using var app = await installation.OpenAsync(parse, cancellationToken);
            int stored = 0, duplicates = 0, refused = 0;
            foreach (var input in inputs)
            {
                foreach (var (name, bytes) in Mbox.Split(input, await File.ReadAllBytesAsync(input, cancellationToken)))
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    var results = await scope.ServiceProvider.GetRequiredService<ReportStore>().ImportAsync(bytes, name, ReportChannels.Cli, cancellationToken);
                    foreach (var result in results)
                    {
                        Console.WriteLine($"{result.Status.ToString().ToLowerInvariant()}\t{result.Source}\t{result.Description}");
                        switch (result.Status)
                        {
                            case ReportImportStatus.Stored: stored++; break;
                            case ReportImportStatus.Duplicate: duplicates++; break;
                            default: refused++; break;
                        }
                    }
                }
            }

            await Console.Error.WriteLineAsync($"{stored} stored, {duplicates} already stored, {refused} refused (kept with the reason).");
            return refused > 0 ? 1 : 0;
        });
        return new Command("reports", "DMARC aggregate and TLS reports") { import };
    }
}

/// <summary>Splits an mbox file (RFC 4155: each message after a "From " line; ">From " unquoted as mboxrd does) into its messages.</summary>
internal static class Mbox
{
    public static IEnumerable<(string Name, byte[] Bytes)> Split(string path, byte[] content)
    {
        var name = Path.GetFileName(path);
        if (!content.AsSpan().StartsWith("From "u8))
        {
            yield return (name, content);
            yield break;
        }

        var index = 0;
        var start = -1;
        var position = 0;
        while (position <= content.Length)
        {
            var lineEnd = Array.IndexOf(content, (byte)'\n', position);
            var next = lineEnd < 0 ? content.Length + 1 : lineEnd + 1;
            var isSeparator = position < content.Length && content.AsSpan(position).StartsWith("From "u8);
            if (isSeparator || position >= content.Length)
            {
                if (start >= 0)
                {
                    yield return ($"{name} message {++index}", Unquote(content.AsSpan(start, position - start)));
                }

                start = next > content.Length ? content.Length : next;
            }

            position = next;
        }
    }

    private static byte[] Unquote(ReadOnlySpan<byte> message)
    {
        var output = new MemoryStream(message.Length);
        var atLineStart = true;
        for (var i = 0; i < message.Length; i++)
        {
            if (atLineStart && message[i] == (byte)'>')
            {
                var j = i;
                while (j < message.Length && message[j] == (byte)'>')
                {
                    j++;
                }

                if (message[j..].StartsWith("From "u8))
                {
                    i++; // one '>' less
                }
            }

            output.WriteByte(message[i]);
            atLineStart = message[i] == (byte)'\n';
        }

        return output.ToArray();
    }
}
