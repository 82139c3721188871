using System.IO.Compression;
using System.Text;
using MimeKit;
using Parley.Deliverability.Feedback;

namespace Parley.Deliverability.Reports;

/// <summary>
/// Finds and reads the reports in one input, whatever wraps them: raw XML or JSON, gzip (several members too), zip, or a
/// whole email with the report attached (or as its body). Every document found becomes a <see cref="ReportOutcome"/>,
/// read or refused with its reason; nothing escapes as an exception but cancellation. Work is bounded by
/// <see cref="ReportLimits"/>: input size, total expanded size, expansion ratio, archive nesting and entries.
/// </summary>
public sealed class ReportReader(ReportLimits? limits = null)
{
    private readonly ReportLimits _limits = limits ?? ReportLimits.Default;

    public IReadOnlyList<ReportOutcome> Read(ReadOnlyMemory<byte> input, string? name = null)
    {
        var source = string.IsNullOrWhiteSpace(name) ? "the input" : name;
        var outcomes = new List<ReportOutcome>();
        if (input.Length > _limits.MaxInputBytes)
        {
            outcomes.Add(ReportOutcome.Refused(source, $"The input is {Size(input.Length)}, more than the {Size(_limits.MaxInputBytes)} Parley reads as one report."));
            return outcomes;
        }

        var budget = new Budget(_limits.MaxExpandedBytes);
        try
        {
            ReadDocument(input, source, 0, budget, outcomes, fromMail: false);
        }
        catch (ReportFormatException e)
        {
            outcomes.Add(ReportOutcome.Refused(source, e.Message));
        }

        return outcomes;
    }

    private void ReadDocument(ReadOnlyMemory<byte> bytes, string source, int depth, Budget budget, List<ReportOutcome> outcomes, bool fromMail)
    {
        if (depth > _limits.MaxNesting)
        {
            outcomes.Add(ReportOutcome.Refused(source, $"Archives nest more than {_limits.MaxNesting} deep; Parley stops there."));
            return;
        }

        var span = bytes.Span;
        if (span.IsEmpty || span.Trim(" \t\r\n"u8).IsEmpty)
        {
            outcomes.Add(ReportOutcome.Refused(source, "It is empty."));
            return;
        }

        if (span.Length >= 2 && span[0] == 0x1F && span[1] == 0x8B)
        {
            Expanded(() => Gunzip(bytes, budget), source, depth, budget, outcomes, Inner(source, ".gz"));
            return;
        }

        if (span.Length >= 4 && span[0] == (byte)'P' && span[1] == (byte)'K' && span[2] == 3 && span[3] == 4)
        {
            Unzip(bytes, source, depth, budget, outcomes);
            return;
        }

        var first = FirstSignificant(span);
        if (first == (byte)'<')
        {
            outcomes.Add(Guarded(source, () => new ReportOutcome(source, DmarcAggregateParser.Parse(bytes.Span, _limits), null, null)));
        }
        else if (first == (byte)'{')
        {
            outcomes.Add(Guarded(source, () => new ReportOutcome(source, null, TlsReportParser.Parse(Trimmed(bytes)), null)));
        }
        else if (!fromMail && LooksLikeMessage(span))
        {
            ReadMessage(bytes, source, depth, budget, outcomes);
        }
        else
        {
            outcomes.Add(ReportOutcome.Refused(source, "It is not a DMARC aggregate report (XML), a TLS report (JSON), a gzip or zip archive, or an email holding one."));
        }
    }

    private void Expanded(Func<byte[]> expand, string source, int depth, Budget budget, List<ReportOutcome> outcomes, string inner)
    {
        byte[] content;
        try
        {
            content = expand();
        }
        catch (ReportFormatException e)
        {
            outcomes.Add(ReportOutcome.Refused(source, e.Message));
            return;
        }

        ReadDocument(content, inner, depth + 1, budget, outcomes, fromMail: false);
    }

    private byte[] Gunzip(ReadOnlyMemory<byte> bytes, Budget budget)
    {
        using var input = StreamOver(bytes);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        try
        {
            return CopyBounded(gzip, bytes.Length, budget);
        }
        catch (InvalidDataException e)
        {
            throw new ReportFormatException($"The gzip data is damaged: {e.Message}");
        }
    }

    private void Unzip(ReadOnlyMemory<byte> bytes, string source, int depth, Budget budget, List<ReportOutcome> outcomes)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(StreamOver(bytes), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            outcomes.Add(ReportOutcome.Refused(source, $"The zip archive is damaged: {e.Message}"));
            return;
        }

        using (archive)
        {
            var files = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            if (files.Count == 0)
            {
                outcomes.Add(ReportOutcome.Refused(source, "The zip archive holds no file."));
                return;
            }

            if (files.Count > _limits.MaxZipEntries)
            {
                outcomes.Add(ReportOutcome.Refused(source, $"The zip archive holds {files.Count} files; Parley reads at most {_limits.MaxZipEntries} from one archive."));
                return;
            }

            foreach (var entry in files)
            {
                var inner = $"{source} → {entry.FullName}";
                // The sizes in the directory may lie, so the copy is bounded as well; they are checked first to refuse cheaply.
                if (entry.Length > budget.Remaining)
                {
                    outcomes.Add(ReportOutcome.Refused(inner, $"It says it expands to {Size(entry.Length)}, more than the {Size(_limits.MaxExpandedBytes)} Parley expands from one input."));
                    continue;
                }

                if (entry.Length > _limits.RatioCheckedFrom && entry.Length > entry.CompressedLength * _limits.MaxRatio)
                {
                    outcomes.Add(ReportOutcome.Refused(inner, $"It says it expands {entry.Length / Math.Max(1, entry.CompressedLength):N0} times ({Size(entry.CompressedLength)} to {Size(entry.Length)}); reports expand at most {_limits.MaxRatio} times, so this looks like a zip bomb."));
                    continue;
                }

                Expanded(() =>
                {
                    try
                    {
                        using var stream = entry.Open();
                        return CopyBounded(stream, Math.Max(1, entry.CompressedLength), budget);
                    }
                    catch (InvalidDataException e)
                    {
                        throw new ReportFormatException($"The zip entry is damaged: {e.Message}");
                    }
                }, inner, depth, budget, outcomes, inner);
            }
        }
    }

    /// <summary>Copies a decompressing stream, stopping as soon as the budget or the ratio to <paramref name="compressed"/> is passed.</summary>
    private byte[] CopyBounded(Stream stream, long compressed, Budget budget)
    {
        var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, read);
            if (!budget.Take(read))
            {
                throw new ReportFormatException($"It expands past {Size(_limits.MaxExpandedBytes)}, more than Parley expands from one input; stopped there.");
            }

            if (output.Length > _limits.RatioCheckedFrom && output.Length > compressed * _limits.MaxRatio)
            {
                throw new ReportFormatException($"It expands more than {_limits.MaxRatio} times ({Size(compressed)} to over {Size(output.Length)}); reports never do, so this looks like a decompression bomb. Stopped there.");
            }
        }

        return output.ToArray();
    }

    private static ReportOutcome FailureOutcome(string source, FeedbackParse feedback)
    {
        if (feedback.Report is not { } report)
        {
            return ReportOutcome.Refused(source, $"It is a feedback report (ARF) that cannot be read: {feedback.Error}");
        }

        if (report.Type != FeedbackType.AuthFailure)
        {
            return ReportOutcome.Refused(source,
                $"It is a feedback report of type {report.FeedbackTypeName}, not a DMARC failure report (auth-failure): complaints go to the alias domain, where they suppress the address.");
        }

        return new ReportOutcome(source, null, null, null, report);
    }

    private void ReadMessage(ReadOnlyMemory<byte> bytes, string source, int depth, Budget budget, List<ReportOutcome> outcomes)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(StreamOver(bytes));
        }
        catch (FormatException e)
        {
            outcomes.Add(ReportOutcome.Refused(source, $"It is not a readable email: {e.Message}"));
            return;
        }

        // Failure reports are ARF (RFC 6591): the feedback parser, which also reads feedback-loop complaints, owns that format.
        if (FeedbackReportParser.Parse(message) is { } feedback)
        {
            outcomes.Add(FailureOutcome(source, feedback));
            return;
        }

        if (message.BodyParts.Any(p => p.ContentType.IsMimeType("message", "feedback-report")))
        {
            outcomes.Add(ReportOutcome.Refused(source,
                "It holds a feedback report (ARF) part, but not inside multipart/report as RFC 6591 requires; it is kept, not read."));
            return;
        }

        var found = 0;
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            if (!IsReportPart(part))
            {
                continue;
            }

            found++;
            var name = part.FileName is { Length: > 0 } file ? $"{source} → {file}" : $"{source} → {part.ContentType.MimeType} part";
            using var decoded = new MemoryStream();
            try
            {
                part.Content?.DecodeTo(decoded);
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                outcomes.Add(ReportOutcome.Refused(name, $"The attachment cannot be decoded: {e.Message}"));
                continue;
            }

            ReadDocument(decoded.GetBuffer().AsMemory(0, (int)decoded.Length), name, depth + 1, budget, outcomes, fromMail: true);
        }

        if (found == 0)
        {
            outcomes.Add(ReportOutcome.Refused(source, "The email carries no report: no XML, JSON, gzip or zip attachment."));
        }
    }

    /// <summary>A part that carries a report: by its type (RFC 7489 §7.2.1.1, RFC 8460 §5.3), by its file name, or by its first bytes.</summary>
    private static bool IsReportPart(MimePart part)
    {
        var type = part.ContentType.MimeType.ToLowerInvariant();
        if (type is "application/gzip" or "application/x-gzip" or "application/zip" or "application/x-zip-compressed" or "application/x-zip"
            or "text/xml" or "application/xml" or "application/tlsrpt+json" or "application/tlsrpt+gzip" or "application/json")
        {
            return true;
        }

        var file = part.FileName?.ToLowerInvariant() ?? "";
        return file.EndsWith(".xml", StringComparison.Ordinal) || file.EndsWith(".gz", StringComparison.Ordinal) || file.EndsWith(".zip", StringComparison.Ordinal)
            || file.EndsWith(".json", StringComparison.Ordinal);
    }

    private static ReportOutcome Guarded(string source, Func<ReportOutcome> parse)
    {
        try
        {
            return parse();
        }
        catch (ReportFormatException e)
        {
            return ReportOutcome.Refused(source, e.Message);
        }
    }

    private static bool LooksLikeMessage(ReadOnlySpan<byte> span)
    {
        // A header field name, then a colon, on the first line (RFC 5322 §2.2): printable ASCII but no space or colon.
        // An mbox "From " line may lead a saved message.
        if (span.StartsWith("From "u8))
        {
            return true;
        }

        var line = span[..Math.Min(span.Length, 998)];
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        foreach (var b in line[..colon])
        {
            if (b is < 33 or > 126)
            {
                return false;
            }
        }

        return true;
    }

    private static byte FirstSignificant(ReadOnlySpan<byte> span)
    {
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }

        var trimmed = span.TrimStart(" \t\r\n"u8);
        return trimmed.IsEmpty ? (byte)0 : trimmed[0];
    }

    private static ReadOnlyMemory<byte> Trimmed(ReadOnlyMemory<byte> bytes) =>
        bytes.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes;

    private static string Inner(string source, string suffix) =>
        source.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? source[..^suffix.Length] : source + " (expanded)";

    private static MemoryStream StreamOver(ReadOnlyMemory<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);

    internal static string Size(long bytes) => bytes >= 1024 * 1024
        ? $"{bytes / (1024.0 * 1024):0.#} MB"
        : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KB" : $"{bytes} bytes";

    /// <summary>What one input may still expand to, across all its archives.</summary>
    private sealed class Budget(long total)
    {
        public long Remaining { get; private set; } = total;

        public bool Take(long bytes)
        {
            Remaining -= bytes;
            return Remaining >= 0;
        }
    }
}
