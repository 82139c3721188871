using System.IO.Compression;
using System.Text;
using Parley.Testing;

namespace Parley.Tests.Reports;

/// <summary>`parley reports import` over a folder larger than one import batch, run as the installed binary runs.</summary>
public sealed class ReportsImportCliTests
{
    [Fact]
    public async Task A_folder_of_reports_is_stored_once_each_across_batches_with_duplicates_and_refusals_said_per_file()
    {
        var dataDir = ParleyHost.NewDataDir();
        var folder = Directory.CreateTempSubdirectory("parley-reports-import-").FullName;
        try
        {
            // 450 reports (more than two batches of 200), every third gzipped; one file repeats report 7; one is no report.
            const int reports = 450;
            for (var i = 0; i < reports; i++)
            {
                var xml = Report(i);
                if (i % 3 == 0)
                {
                    await using var file = File.Create(Path.Combine(folder, $"r{i:D4}.xml.gz"));
                    await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
                    await gzip.WriteAsync(xml);
                }
                else
                {
                    await File.WriteAllBytesAsync(Path.Combine(folder, $"r{i:D4}.xml"), xml);
                }
            }

            await File.WriteAllBytesAsync(Path.Combine(folder, "r9998-copy-of-7.xml"), Report(7));
            await File.WriteAllTextAsync(Path.Combine(folder, "r9999-notes.txt"), "not a report");

            var (exit, stdout, stderr) = await ParleyCli.RunAsync("reports", "import", "--data-dir", dataDir, folder);

            Assert.Equal(1, exit); // something was refused
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(reports + 2, lines.Length);
            Assert.Equal(reports, lines.Count(l => l.StartsWith("stored\t", StringComparison.Ordinal)));
            Assert.Contains("), 1 row, 1 message.", Assert.Single(lines, l => l.StartsWith("stored\tr0000.xml\t", StringComparison.Ordinal)));
            Assert.Contains("), 1 row, 3 messages.", Assert.Single(lines, l => l.StartsWith("stored\tr0002.xml\t", StringComparison.Ordinal)));
            Assert.StartsWith("duplicate\tr9998-copy-of-7.xml\tAlready stored as report ", Assert.Single(lines, l => l.StartsWith("duplicate", StringComparison.Ordinal)));
            Assert.StartsWith("refused\tr9999-notes.txt\t", Assert.Single(lines, l => l.StartsWith("refused", StringComparison.Ordinal)));
            Assert.Contains($"{reports} stored, 1 already stored, 1 refused (kept with the reason).", stderr);

            // Every batch was committed: a second run finds each report already stored.
            (exit, stdout, stderr) = await ParleyCli.RunAsync("reports", "import", "--data-dir", dataDir, folder);
            Assert.Equal(1, exit);
            Assert.Contains($"0 stored, {reports + 1} already stored, 1 refused (kept with the reason).", stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static byte[] Report(int number)
    {
        var begin = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(-1 - number % 20), TimeSpan.Zero).ToUnixTimeSeconds();
        return Encoding.UTF8.GetBytes($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <feedback><version>1.0</version>
            <report_metadata><org_name>receiver.test</org_name><email>dmarc@receiver.test</email><report_id>cli-{number}</report_id>
            <date_range><begin>{begin}</begin><end>{begin + 86399}</end></date_range></report_metadata>
            <policy_published><domain>shop.test</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><pct>100</pct></policy_published>
            <record><row><source_ip>192.0.2.{number % 250}</source_ip><count>{number + 1}</count><policy_evaluated><disposition>none</disposition>
            <dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>shop.test</header_from></identifiers>
            <auth_results><dkim><domain>shop.test</domain><result>pass</result><selector>s1</selector></dkim>
            <spf><domain>shop.test</domain><result>pass</result></spf></auth_results></record>
            </feedback>
            """);
    }
}
