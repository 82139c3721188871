using Parley.Deliverability.Reports;
using Parley.Deliverability.Tests.Support;

namespace Parley.Deliverability.Tests.Reports;

/// <summary>
/// Every public sample of ../shared/conformance/dmarc-reports/ (parsedmarc's samples) is read or refused with a
/// reason: aggregate reports of every schema and container, TLS reports, and the documents that are not ours to read.
/// </summary>
public sealed class ReportConformanceTests
{
    private static readonly ReportReader Reader = new();

    /// <summary>Checks what a sample's row expects; an empty expectation means the row does not say (and nothing is read).</summary>
    private static void AssertIfGiven(string expected, Func<string?> actual)
    {
        if (expected.Length > 0)
        {
            Assert.Equal(expected, actual());
        }
    }

    private static IReadOnlyList<ReportOutcome> Read(string relative) =>
        Reader.Read(File.ReadAllBytes(ConformanceData.PathOf("dmarc-reports/" + relative)), Path.GetFileName(relative));

    /// <summary>Each sample of aggregate/ with what it must give: its reporter, report id, policy domain and rows.</summary>
    public static TheoryData<string, string, string, string, int> Aggregates() => new()
    {
        { "!example.com!1538204542!1538463818.xml", "accurateplastics.com", "example.com:1538463741", "example.com", 1 },
        { "!large-example.com!1711897200!1711983600.xml", "accurateplastics.com", "example.com:1711897200", "example.com", 2286 },
        { "Report domain- borschow.com Submitter- google.com Report-ID- 949348866075514174.eml", "google.com", "949348866075514174", "borschow.com", -1 },
        { "addisonfoods.com!example.com!1536105600!1536191999.xml", "addisonfoods.com", "", "example.com", -1 },
        { "empty_reason.xml", "", "", "", -1 },
        { "estadocuenta1.infonacot.gob.mx!example.com!1536853302!1536939702!2940.xml.zip", "", "", "example.com", -1 },
        { "example.net!example.com!1529366400!1529452799.xml", "example.net", "", "example.com", -1 },
        { "fastmail.com!example.com!1516060800!1516147199!102675056.xml.gz", "FastMail Pty Ltd", "102675056", "indemed.com", -1 },
        { "invalid_utf_8.xml", "", "", "example.com", 1 },
        { "mimecast-weird-gzip.eml", "", "", "ab.id.au", -1 },
        { "old_draft_from_wiki.xml", "acme.com", "9391651994964116463", "example.com", 1 },
        { "protection.outlook.com!example.com!1711756800!1711843200.xml", "Outlook.com", "cfeafefe4129445e8c81018bd9177197", "example.com", -1 },
        { "rfc9990-example.net!example.com!1700000000!1700086399.xml", "", "", "example.com", -1 },
        { "rfc9990-sample.xml", "Sample Reporter", "3v98abbp8ya9n3va8yr8oa3ya", "example.com", 1 },
        { "twilight.eml", "google.com", "", "twlnet.com", -1 },
        { "usssa.com!example.com!1538784000!1538870399.xml", "", "", "example.com", -1 },
        { "veeam.com!example.com!1530133200!1530219600.xml", "veeam.com", "", "example.com", -1 },
    };

    [Theory]
    [MemberData(nameof(Aggregates))]
    public void Each_aggregate_sample_is_read(string file, string org, string reportId, string domain, int rows)
    {
        var outcomes = Read("aggregate/" + file);
        var outcome = Assert.Single(outcomes);
        Assert.True(outcome.Kind == ReportKind.DmarcAggregate, $"{file}: {outcome.Refusal}");
        var report = outcome.Dmarc!;
        AssertIfGiven(org, () => report.OrgName);
        AssertIfGiven(reportId, () => report.ReportId);
        AssertIfGiven(domain, () => report.Policy.Domain);
        if (rows >= 0)
        {
            Assert.Equal(rows, report.Records.Count);
        }

        Assert.NotEmpty(report.Records);
        Assert.All(report.Records, r => Assert.True(r.Count >= 0));
        Assert.True(report.End >= report.Begin);
    }

    [Fact]
    public void Every_file_of_the_aggregate_folder_is_covered_by_a_case()
    {
        var covered = Aggregates().Select(row => (string)row[0]).ToHashSet();
        covered.Add("invalid_xml.xml");
        covered.Add("ikea.com!example.de!1538690400!1538776800.xml");
        var files = Directory.GetFiles(ConformanceData.PathOf("dmarc-reports/aggregate")).Select(f => Path.GetFileName(f)!).ToList();
        Assert.All(files, f => Assert.Contains(f, covered));
    }

    [Fact]
    public void The_three_schemas_are_told_apart()
    {
        Assert.Equal(DmarcReportSchema.Rfc9990, Read("aggregate/rfc9990-sample.xml")[0].Dmarc!.Schema);
        Assert.Equal(DmarcReportSchema.Rfc7489, Read("aggregate/protection.outlook.com!example.com!1711756800!1711843200.xml")[0].Dmarc!.Schema);
        Assert.Equal(DmarcReportSchema.Draft, Read("aggregate/old_draft_from_wiki.xml")[0].Dmarc!.Schema);
    }

    [Fact]
    public void A_row_keeps_what_the_reporter_saw()
    {
        var row = Assert.Single(Read("aggregate/rfc9990-sample.xml")[0].Dmarc!.Records);
        Assert.Equal("192.0.2.123", row.SourceIp.ToString());
        Assert.Equal(123, row.Count);
        Assert.Equal("pass", row.Disposition);
        Assert.True(row.DkimAligned);
        Assert.False(row.SpfAligned);
        Assert.Equal("example.com", row.HeaderFrom);
        Assert.Equal(new DmarcDkimAuth("example.com", "abc123", "pass"), Assert.Single(row.Dkim));
        Assert.Equal("fail", Assert.Single(row.Spf).Result);
    }

    [Fact]
    public void An_empty_org_name_is_named_after_the_reporters_address_with_a_warning()
    {
        var report = Read("aggregate/!example.com!1538204542!1538463818.xml")[0].Dmarc!;
        Assert.Equal("accurateplastics.com", report.OrgName);
        Assert.Contains(report.Warnings, w => w.Contains("org_name", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_utf8_is_read_with_a_warning_that_says_where()
    {
        var report = Read("aggregate/invalid_utf_8.xml")[0].Dmarc!;
        Assert.Contains(report.Warnings, w => w.Contains("not valid UTF-8", StringComparison.Ordinal) && w.Contains("offset", StringComparison.Ordinal));
        Assert.Contains('\uFFFD', report.Records[0].HeaderFrom);
    }

    [Theory]
    [InlineData("invalid_xml.xml")]
    [InlineData("ikea.com!example.de!1538690400!1538776800.xml")] // its inline xs:schema is never closed
    public void Malformed_xml_is_refused_with_the_parsers_reason(string file)
    {
        var outcome = Assert.Single(Read("aggregate/" + file));
        Assert.Equal(ReportKind.Refused, outcome.Kind);
        Assert.StartsWith("The report is not well-formed XML", outcome.Refusal);
    }

    [Fact]
    public void Upper_cased_results_are_refused_naming_the_value()
    {
        var outcome = Assert.Single(Read("aggregate_invalid/report_with_upper_cased_pass.xml"));
        Assert.Equal(ReportKind.Refused, outcome.Kind);
        Assert.Contains("<disposition>None</disposition>", outcome.Refusal);
        Assert.Contains("lower case", outcome.Refusal);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var outcome = Assert.Single(Read("empty.xml"));
        Assert.Equal("It is empty.", outcome.Refusal);
    }

    [Theory]
    [InlineData("nice-input.xml")]
    [InlineData("nice-input.xml.gz")]
    [InlineData("nice-input.xml.zip")]
    public void The_same_report_is_read_from_xml_gzip_and_zip(string file)
    {
        var report = Assert.Single(Read("extract_report/" + file)).Dmarc!;
        var plain = Read("extract_report/nice-input.xml")[0].Dmarc!;
        Assert.Equal(plain.ReportId, report.ReportId);
        Assert.Equal("google.com", report.OrgName);
        Assert.Equal(plain.Records.Count, report.Records.Count);
        Assert.Equal(plain.MessageCount, report.MessageCount);
    }

    [Fact]
    public void A_changed_report_reads_its_changed_reporter()
    {
        Assert.Equal("fred.com", Read("extract_report/changed-input.xml")[0].Dmarc!.OrgName);
    }

    /// <summary>Each failure sample, read by the feedback parser (the one ARF reader): its reported domain and source IP.</summary>
    [Theory]
    [InlineData("DMARC Failure Report for domain.de (mail-from=sharepoint@domain.de, ip=10.10.10.10).eml")]
    [InlineData("dmarc_ruf_report_linkedin.eml")]
    [InlineData("dmarc_ruf_report_linkedin.crlf.eml")]
    public void Each_failure_sample_is_read_as_a_failure_report(string file)
    {
        var outcome = Assert.Single(Read("failure/" + file));
        Assert.True(outcome.Kind == ReportKind.DmarcFailure, $"{file}: {outcome.Refusal}");
        Assert.Equal(Parley.Deliverability.Feedback.FeedbackType.AuthFailure, outcome.Failure!.Type);
        Assert.False(string.IsNullOrEmpty(outcome.Failure.SourceIp), file);
    }

    [Theory]
    [InlineData("exim_plain_text_only_no_arf_part.eml", "carries no report")]
    [InlineData("[Netease DMARC Failure Report] Rent Reminder.eml", "not inside multipart/report")]
    public void A_failure_report_without_a_readable_arf_part_is_refused_with_the_reason(string file, string reason)
    {
        var outcome = Assert.Single(Read("failure/" + file));
        Assert.Equal(ReportKind.Refused, outcome.Kind);
        Assert.Contains(reason, outcome.Refusal);
    }

    [Fact]
    public void Every_file_of_the_failure_folder_is_covered_by_a_case()
    {
        var covered = typeof(ReportConformanceTests).GetMethod(nameof(Each_failure_sample_is_read_as_a_failure_report))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>().Select(a => (string)a.GetData(null!).Single()[0]).ToHashSet();
        covered.UnionWith(typeof(ReportConformanceTests).GetMethod(nameof(A_failure_report_without_a_readable_arf_part_is_refused_with_the_reason))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>().Select(a => (string)a.GetData(null!).Single()[0]));
        Assert.All(Directory.GetFiles(ConformanceData.PathOf("dmarc-reports/failure")), f => Assert.Contains(Path.GetFileName(f), covered));
    }

    [Theory]
    [InlineData("rfc8460.json", "Company-X", "5065427c-23d3-47ca-b6e0-946ea0e8c4be", "company-y.example", 3)]
    [InlineData("mail.ru.json", "Mail.ru", "b28254de-7b2e-be36-bb5c-4c3b92da8b25@mail.ru", "example.com", 2)]
    [InlineData("smtp_tls.json", "", "", "", -1)]
    [InlineData("google.com_smtp_tls_report.eml", "Google Inc.", "", "cardinalhealth.ca", -1)]
    public void Each_tls_sample_is_read(string file, string org, string reportId, string domain, int failures)
    {
        var outcome = Assert.Single(Read("smtp_tls/" + file));
        Assert.True(outcome.Kind == ReportKind.TlsRpt, $"{file}: {outcome.Refusal}");
        var report = outcome.Tls!;
        AssertIfGiven(org, () => report.OrgName);
        AssertIfGiven(reportId, () => report.ReportId);
        AssertIfGiven(domain, () => report.Policies[0].PolicyDomain);
        if (failures >= 0)
        {
            Assert.Equal(failures, report.Policies.Sum(p => p.Failures.Count));
        }

        Assert.NotEmpty(report.Policies);
    }

    [Fact]
    public void A_tls_failure_keeps_its_mx_type_and_count()
    {
        var policy = Read("smtp_tls/rfc8460.json")[0].Tls!.Policies[0];
        Assert.Equal(5326, policy.Successful);
        Assert.Equal(303, policy.Failed);
        var starttls = policy.Failures.Single(f => f.ResultType == "starttls-not-supported");
        Assert.Equal("mx2.mail.company-y.example", starttls.ReceivingMx);
        Assert.Equal(200, starttls.FailedSessions);
    }
}
