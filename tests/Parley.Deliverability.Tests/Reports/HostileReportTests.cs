using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Parley.Deliverability.Reports;

namespace Parley.Deliverability.Tests.Reports;

/// <summary>Reports are hostile input: each of these is refused (or read) with a clear reason, cheaply, and never throws.</summary>
public sealed class HostileReportTests
{
    private static readonly ReportReader Reader = new();

    internal static string Report(string reportId = "r-1", string org = "reporter.test", string domain = "example.com", string rows = "") =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <feedback>
          <version>1.0</version>
          <report_metadata><org_name>{org}</org_name><email>dmarc@{org}</email><report_id>{reportId}</report_id>
            <date_range><begin>1764547200</begin><end>1764633599</end></date_range></report_metadata>
          <policy_published><domain>{domain}</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct></policy_published>
          {(rows.Length > 0 ? rows : Row("192.0.2.10", 5, "pass", "pass"))}
        </feedback>
        """;

    internal static string Row(string ip, int count, string dkim, string spf, string headerFrom = "example.com") =>
        $"""
        <record><row><source_ip>{ip}</source_ip><count>{count}</count>
          <policy_evaluated><disposition>none</disposition><dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated></row>
          <identifiers><header_from>{headerFrom}</header_from></identifiers>
          <auth_results><dkim><domain>{headerFrom}</domain><selector>s1</selector><result>{dkim}</result></dkim><spf><domain>{headerFrom}</domain><result>{spf}</result></spf></auth_results></record>
        """;

    [Fact]
    public void A_billion_laughs_is_refused_before_any_entity_expands()
    {
        var laughs = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        laughs.Append(" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (var i = 2; i <= 9; i++)
        {
            laughs.Append($" <!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">\n");
        }

        laughs.Append("]>\n<feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>");
        var watch = Stopwatch.StartNew();
        var outcome = Assert.Single(Reader.Read(Encoding.UTF8.GetBytes(laughs.ToString()), "lolz.xml"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        Assert.Equal(ReportKind.Refused, outcome.Kind);
        Assert.Contains("DTD", outcome.Refusal);
    }

    [Fact]
    public void An_external_entity_is_refused_and_never_read()
    {
        var xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n" +
            Report(org: "&xxe;").Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "", StringComparison.Ordinal);
        var outcome = Assert.Single(Reader.Read(Encoding.UTF8.GetBytes(xxe), "xxe.xml"));
        Assert.Equal(ReportKind.Refused, outcome.Kind);
        Assert.Contains("DTD", outcome.Refusal);
        Assert.DoesNotContain("root:", outcome.Refusal);
    }

    [Fact]
    public void A_zip_bomb_is_refused_by_its_ratio()
    {
        var bomb = Zip(("report.xml", new byte[20 * 1024 * 1024]));
        var watch = Stopwatch.StartNew();
        var outcome = Assert.Single(Reader.Read(bomb, "bomb.zip"));
        Assert.Equal(ReportKind.Refused, outcome.Kind);
        Assert.Contains("zip bomb", outcome.Refusal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_gzip_bomb_stops_at_the_ratio_without_expanding_it_all()
    {
        var bomb = Gzip(new byte[200 * 1024 * 1024]);
        var outcome = Assert.Single(Reader.Read(bomb, "bomb.xml.gz"));
        Assert.Equal(ReportKind.Refused, outcome.Kind);
        Assert.Contains("decompression bomb", outcome.Refusal);
    }

    [Fact]
    public void The_expanded_size_is_bounded_across_all_members()
    {
        var reader = new ReportReader(new ReportLimits { MaxExpandedBytes = 256 * 1024, MaxRatio = 1_000_000 });
        var big = Encoding.UTF8.GetBytes(Report(rows: string.Concat(Enumerable.Range(0, 2000).Select(i => Row($"192.0.2.{i % 250}", 1, "pass", "pass")))));
        Assert.True(big.Length > 256 * 1024);
        var outcome = Assert.Single(reader.Read(Gzip(big), "big.xml.gz"));
        Assert.Contains("expands past", outcome.Refusal);
    }

    [Fact]
    public void Concatenated_gzip_members_are_one_document()
    {
        var xml = Encoding.UTF8.GetBytes(Report());
        var half = xml.Length / 2;
        var concatenated = Gzip(xml[..half]).Concat(Gzip(xml[half..])).ToArray();
        var outcome = Assert.Single(Reader.Read(concatenated, "two-members.xml.gz"));
        Assert.Equal(ReportKind.DmarcAggregate, outcome.Kind);
        Assert.Equal("r-1", outcome.Dmarc!.ReportId);
    }

    [Fact]
    public void Damaged_gzip_is_refused_with_a_reason()
    {
        var gz = Gzip(Encoding.UTF8.GetBytes(Report()));
        var damaged = gz[..(gz.Length / 2)];
        var outcome = Assert.Single(Reader.Read(damaged, "cut.xml.gz"));
        Assert.Equal(ReportKind.Refused, outcome.Kind);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Refusal));
    }

    [Fact]
    public void Archives_nested_too_deep_are_refused()
    {
        var bytes = Encoding.UTF8.GetBytes(Report());
        for (var i = 0; i < 7; i++)
        {
            bytes = Gzip(bytes);
        }

        var outcome = Assert.Single(Reader.Read(bytes, "deep.gz"));
        Assert.Contains("nest more than", outcome.Refusal);
    }

    [Fact]
    public void A_zip_with_two_reports_gives_both()
    {
        var zip = Zip(("a.xml", Encoding.UTF8.GetBytes(Report("a"))), ("b.xml", Encoding.UTF8.GetBytes(Report("b"))));
        var outcomes = Reader.Read(zip, "two.zip");
        Assert.Equal(["a", "b"], outcomes.Select(o => o.Dmarc!.ReportId));
        Assert.Equal("two.zip → a.xml", outcomes[0].Source);
    }

    [Fact]
    public void A_zip_with_too_many_entries_is_refused()
    {
        var zip = Zip(Enumerable.Range(0, 25).Select(i => ($"{i}.xml", Encoding.UTF8.GetBytes(Report(i.ToString())))).ToArray());
        Assert.Contains("at most 20", Assert.Single(Reader.Read(zip, "many.zip")).Refusal);
    }

    [Fact]
    public void An_input_over_the_size_limit_is_refused_unread()
    {
        var reader = new ReportReader(new ReportLimits { MaxInputBytes = 1024 });
        Assert.Contains("more than the 1 KB", Assert.Single(reader.Read(new byte[2048], "big")).Refusal);
    }

    [Theory]
    [InlineData("<report_id>r-1</report_id>", "", "no <report_id>")]
    [InlineData("<source_ip>192.0.2.10</source_ip>", "<source_ip>not-an-ip</source_ip>", "not an IP address")]
    [InlineData("<count>5</count>", "<count>-5</count>", "not a whole number")]
    [InlineData("<begin>1764547200</begin>", "<begin>yesterday</begin>", "seconds since 1970")]
    [InlineData("<domain>example.com</domain><adkim>", "<adkim>", "no <domain> in <policy_published>")]
    [InlineData("<header_from>example.com</header_from>", "", "no <header_from>")]
    public void Missing_or_wrong_fields_are_refused_naming_the_field(string find, string replace, string reason)
    {
        var xml = Report().Replace(find, replace, StringComparison.Ordinal);
        var outcome = Assert.Single(Reader.Read(Encoding.UTF8.GetBytes(xml), "broken.xml"));
        Assert.Equal(ReportKind.Refused, outcome.Kind);
        Assert.Contains(reason, outcome.Refusal);
    }

    [Fact]
    public void Xml_that_is_not_a_report_is_refused()
    {
        Assert.Contains("not <feedback>", Assert.Single(Reader.Read("<html><body/></html>"u8.ToArray(), "page.xml")).Refusal);
    }

    [Fact]
    public void Invalid_utf8_in_a_tls_report_is_refused()
    {
        var json = Encoding.UTF8.GetBytes("{\"organization-name\": \"X\", \"report-id\": \"")
            .Concat(new byte[] { 0xC3, 0x28 })
            .Concat(Encoding.UTF8.GetBytes("\", \"date-range\": {}, \"policies\": []}")).ToArray();
        var outcome = Assert.Single(Reader.Read(json, "bad.json"));
        Assert.Equal(ReportKind.Refused, outcome.Kind);
        Assert.StartsWith("The TLS report is not valid JSON", outcome.Refusal);
    }

    [Fact]
    public void A_tls_report_without_policies_is_refused()
    {
        var json = "{\"organization-name\": \"X\", \"report-id\": \"1\", \"date-range\": {\"start-datetime\": \"2026-12-01T00:00:00Z\", \"end-datetime\": \"2026-12-01T23:59:59Z\"}}";
        Assert.Equal("The TLS report has no \"policies\".", Assert.Single(Reader.Read(Encoding.UTF8.GetBytes(json), "x.json")).Refusal);
    }

    [Fact]
    public void Deeply_nested_json_is_refused()
    {
        var json = new string('[', 200) + new string(']', 200);
        var outcome = Assert.Single(Reader.Read(Encoding.UTF8.GetBytes("{\"a\":" + json + "}"), "deep.json"));
        Assert.Equal(ReportKind.Refused, outcome.Kind);
    }

    [Fact]
    public void An_email_without_a_report_is_refused()
    {
        var mail = "From: a@b.test\r\nTo: dmarc-reports@mail.test\r\nSubject: hello\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\nJust text.\r\n";
        Assert.Contains("carries no report", Assert.Single(Reader.Read(Encoding.UTF8.GetBytes(mail), "hello.eml")).Refusal);
    }

    [Fact]
    public void Random_bytes_are_refused()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x01;
        Assert.Equal(ReportKind.Refused, Assert.Single(Reader.Read(bytes, "noise.bin")).Kind);
    }

    internal static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    internal static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }
}
