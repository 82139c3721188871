using System.IO.Compression;
using MimeKit;

namespace Parley.Core.SpamTest;

/// <summary>Attachments: risky types (executables, scripts, macro-enabled Office files, archives holding them) and size.</summary>
public static class AttachmentChecks
{
    public static readonly IReadOnlySet<string> RiskyExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "exe", "scr", "bat", "cmd", "com", "pif", "cpl", "js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "msi", "msp", "jar", "hta", "lnk", "reg", "iso", "img", "vhd",
        "docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam", "sldm",
    };

    private static readonly string[] Archives = ["zip"];
    private const int MaxArchiveEntries = 1000;

    public static SpamSection Section(MessageUnderTest message)
    {
        var risky = new List<string>();
        foreach (var part in message.AttachmentParts)
        {
            var name = part.FileName ?? "(unnamed)";
            if (RiskyExtensions.Contains(Extension(name)))
            {
                risky.Add(name);
            }
            else if (Archives.Contains(Extension(name).ToLowerInvariant()) || part.ContentType.MimeType.Equals("application/zip", StringComparison.OrdinalIgnoreCase))
            {
                risky.AddRange(RiskyInZip(part).Select(inner => $"{name} → {inner}"));
            }
        }

        var total = message.Parts.Where(p => p.IsAttachment).Sum(p => p.Size);
        var count = message.AttachmentParts.Count;
        var checks = new List<SpamCheck>
        {
            risky.Count > 0
                ? new SpamCheck("attachments.risky", "Risky attachment types", CheckResult.Fail, 3, $"{string.Join(", ", risky.Take(5))}: receivers block these, and filters treat them as malware.",
                    new CheckFix("Do not attach programs, scripts or macro-enabled files; link to a download on your website, or send a PDF."))
                : SpamCheck.Pass("attachments.risky", "Risky attachment types", 3, count == 0 ? "No attachments." : $"{count} attachment{(count == 1 ? "" : "s")}, none of a risky type."),
            total > 25 * 1024 * 1024
                ? new SpamCheck("attachments.size", "Attachment size", CheckResult.Fail, 1, $"{total / (1024.0 * 1024):N1} MB of attachments; Gmail and Outlook refuse more than 25 MB.", new CheckFix("Link to large files instead."))
                : total > 10 * 1024 * 1024
                    ? new SpamCheck("attachments.size", "Attachment size", CheckResult.Warn, 1, $"{total / (1024.0 * 1024):N1} MB of attachments; many servers refuse more than 10 MB.", new CheckFix("Link to large files instead."))
                    : SpamCheck.Pass("attachments.size", "Attachment size", 1, count == 0 ? "No attachments." : $"{total / 1024.0:N0} KB in all."),
        };
        return new SpamSection("attachments", "Attachments", checks);
    }

    private static string Extension(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot < 0 ? "" : name[(dot + 1)..].Trim().TrimEnd('"');
    }

    /// <summary>The risky names in a zip's central directory (names only; nothing is unpacked), bounded in entries.</summary>
    private static IEnumerable<string> RiskyInZip(MimePart part)
    {
        var found = new List<string>();
        try
        {
            if (part.Content is null)
            {
                return found;
            }

            using var decoded = new MemoryStream();
            part.Content.DecodeTo(decoded);
            decoded.Position = 0;
            using var zip = new ZipArchive(decoded, ZipArchiveMode.Read);
            foreach (var entry in zip.Entries.Take(MaxArchiveEntries))
            {
                if (RiskyExtensions.Contains(Extension(entry.Name)))
                {
                    found.Add(entry.FullName);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            // Not a readable zip: nothing inside to name.
        }

        return found;
    }
}
