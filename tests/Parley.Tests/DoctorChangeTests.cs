using Parley.Core.Doctor;
using Parley.Deliverability.Doctor;

namespace Parley.Tests;

/// <summary>What the scheduled doctor posts: a change is a different set of (id, severity), said in words.</summary>
public sealed class DoctorChangeTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 20, 0, 0, TimeSpan.Zero);

    private static DoctorReport Report(params Finding[] findings) => new("shop.test", At, findings);

    private static readonly Finding SpfValid = new("spf.valid", FindingSeverity.Pass, "SPF record is valid", "ok");
    private static readonly Finding SpfMissing = new("spf.missing", FindingSeverity.Fail, "No SPF record", "none", new DnsFix("TXT", "mail.shop.test", "v=spf1 include:spf.relay.test ~all"));
    private static readonly Finding DmarcMissing = new("dmarc.missing", FindingSeverity.Fail, "No DMARC record", "none");
    private static readonly Finding DmarcNone = new("dmarc.policy-none", FindingSeverity.Warn, "DMARC policy is none (monitoring only)", "p=none");
    private static readonly Finding DmarcValid = new("dmarc.valid", FindingSeverity.Pass, "DMARC record is valid", "ok");
    private static readonly Finding BimiMissing = new("bimi.missing", FindingSeverity.Info, "No BIMI record", "optional");

    [Fact]
    public void The_same_ids_and_severities_are_no_change_even_when_the_words_differ()
    {
        var before = Report(SpfValid, DmarcNone, BimiMissing);
        var after = Report(SpfValid with { Detail = "other words" }, DmarcNone, BimiMissing with { Title = "BIMI?" });
        Assert.Null(DoctorChange.Between(before, after));
    }

    [Fact]
    public void A_new_failure_and_a_fixed_area_are_both_named()
    {
        var change = DoctorChange.Between(Report(SpfValid, DmarcMissing), Report(SpfMissing, DmarcValid));
        Assert.NotNull(change);
        Assert.False(change.IsFirst);
        Assert.Equal("SPF now fails: No SPF record; DMARC fixed", change.Summary);
        Assert.Equal([SpfMissing], change.NewProblems);
    }

    [Fact]
    public void A_failure_that_becomes_a_warning_says_both()
    {
        var change = DoctorChange.Between(Report(DmarcMissing), Report(DmarcNone));
        Assert.Equal("DMARC now warns: DMARC policy is none (monitoring only); DMARC: no longer \"No DMARC record\"", change!.Summary);
    }

    [Fact]
    public void A_check_the_dns_server_did_not_answer_is_no_change()
    {
        var unanswered = Report(new Finding("doctor.temperror", FindingSeverity.Warn, "The DNS server did not answer", "the DNS server 127.0.0.1:53 did not answer"));
        Assert.True(unanswered.IsTemporaryFailure);
        Assert.Null(DoctorChange.Between(Report(SpfValid, DmarcMissing), unanswered));
        Assert.Null(DoctorChange.Between(null, unanswered));
    }

    [Fact]
    public void An_informational_change_is_still_a_change()
    {
        var change = DoctorChange.Between(Report(SpfValid, BimiMissing), Report(SpfValid));
        Assert.Equal("BIMI: a check no longer reports No BIMI record", change!.Summary);
    }

    [Fact]
    public void The_first_report_is_summarised()
    {
        var first = DoctorChange.Between(null, Report(SpfMissing, DmarcNone, BimiMissing))!;
        Assert.True(first.IsFirst);
        Assert.Equal("First check; SPF fails: No SPF record; DMARC warns: DMARC policy is none (monitoring only)", first.Summary);
        Assert.Equal("First check: everything passes", DoctorChange.Between(null, Report(SpfValid))!.Summary);
    }

    [Fact]
    public void A_stored_report_reads_back_as_it_was_written_and_garbage_reads_as_none()
    {
        var report = Report(new Finding("setup.no-hostname", FindingSeverity.Info, "Set this server's host name in Settings", "why"), SpfMissing, DmarcNone);
        var read = DoctorReportReader.TryRead(DoctorReportJson.Serialize(report, indented: false));
        Assert.NotNull(read);
        Assert.Equal(report.Domain, read.Domain);
        Assert.Equal(report.CheckedAt, read.CheckedAt);
        Assert.Equal(report.Findings, read.Findings);
        Assert.Null(DoctorChange.Between(read, report));

        Assert.Null(DoctorReportReader.TryRead("not json"));
        Assert.Null(DoctorReportReader.TryRead("{\"domain\":\"x\"}"));
        Assert.Null(DoctorReportReader.TryRead(""));
    }
}
