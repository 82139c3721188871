using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Parley.Core.Data;
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
            void Print(IEnumerable<ReportImport> results)
            {
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

            await using (var batch = new ReportImportBatch(app.Services))
            {
                foreach (var input in inputs)
                {
                    foreach (var (name, bytes) in Mbox.Split(input, await File.ReadAllBytesAsync(input, cancellationToken)))
                    {
                        Print(await batch.AddAsync(bytes, name, cancellationToken));
                    }
                }

                Print(await batch.CommitAsync(cancellationToken));
            }

            await Console.Error.WriteLineAsync($"{stored} stored, {duplicates} already stored, {refused} refused (kept with the reason).");
            return refused > 0 ? 1 : 0;
        });
        return new Command("reports", "DMARC aggregate and TLS reports") { import };
    }
}

/// <summary>
/// Imports files in batches, one transaction each, so a folder of ten thousand small reports is not ten thousand
/// synchronous commits. A batch is committed once it holds <see cref="MaxFiles"/> files or <see cref="MaxBytes"/> of
/// input; the results of a batch are given back only once it is committed, so "stored" is printed for what is stored.
/// </summary>
internal sealed class ReportImportBatch(IServiceProvider services) : IAsyncDisposable
{
    private const int MaxFiles = 200;
    private const long MaxBytes = 16 * 1024 * 1024;

    private AsyncServiceScope? _scope;
    private IDbContextTransaction? _transaction;
    private readonly List<ReportImport> _pending = [];
    private int _files;
    private long _bytes;

    /// <summary>Imports one file into the open batch; gives back the results of the batch this file completed, if any.</summary>
    public async Task<IReadOnlyList<ReportImport>> AddAsync(byte[] input, string name, CancellationToken cancellationToken)
    {
        if (_scope is null)
        {
            _scope = services.CreateAsyncScope();
            _transaction = await _scope.Value.ServiceProvider.GetRequiredService<ParleyDbContext>().Database.BeginTransactionAsync(cancellationToken);
        }

        var provider = _scope.Value.ServiceProvider;
        _pending.AddRange(await provider.GetRequiredService<ReportStore>().ImportAsync(input, name, ReportChannels.Cli, cancellationToken));
        // The rows are written; forgetting them keeps memory flat across a batch of large reports.
        provider.GetRequiredService<ParleyDbContext>().ChangeTracker.Clear();
        _files++;
        _bytes += input.Length;
        return _files >= MaxFiles || _bytes >= MaxBytes ? await CommitAsync(cancellationToken) : [];
    }

    /// <summary>Commits the open batch and gives back its results.</summary>
    public async Task<IReadOnlyList<ReportImport>> CommitAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            await _transaction.CommitAsync(cancellationToken);
        }

        var results = _pending.ToList();
        _pending.Clear();
        (_files, _bytes) = (0, 0);
        await DisposeAsync();
        return results;
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }

        if (_scope is { } scope)
        {
            await scope.DisposeAsync();
            _scope = null;
        }
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
