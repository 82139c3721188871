using System.Text;
using MimeKit;
using Parley.Deliverability.Feedback;

namespace Parley.Deliverability.Tests.Feedback;

/// <summary>
/// Feedback reports as receivers send them (RFC 5965 ARF; RFC 6591 auth-failure): the fields, the reported message whole
/// or as headers only, reports wrapped by a forwarder, and the malformed ones with the reason.
/// </summary>
public sealed class FeedbackReportParserTests
{
    private static MimeMessage Load(string text) =>
        MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n").Replace("\n", "\r\n"))));

    private static string Report(string fields, string original, string reportType = "feedback-report") =>
        "From: <staff@hotmail.test>\n" +
        "To: <abuse@example.test>\n" +
        "Subject: complaint about message from 192.0.2.1\n" +
        "MIME-Version: 1.0\n" +
        $"Content-Type: multipart/report; report-type={reportType}; boundary=\"part1_13d.2e68ed54_boundary\"\n\n" +
        "--part1_13d.2e68ed54_boundary\n" +
        "Content-Type: text/plain; charset=\"US-ASCII\"\n\n" +
        "This is an email abuse report for an email message received from IP 192.0.2.1 on Thu, 8 Mar 2005 14:00:00 EDT.\n\n" +
        "--part1_13d.2e68ed54_boundary\n" +
        "Content-Type: message/feedback-report\n\n" +
        fields + "\n" +
        "--part1_13d.2e68ed54_boundary\n" +
        original + "\n" +
        "--part1_13d.2e68ed54_boundary--\n";

    private const string Rfc5965Fields =
        "Feedback-Type: abuse\n" +
        "User-Agent: SomeGenerator/1.0\n" +
        "Version: 1\n" +
        "Original-Mail-From: <somespammer@example.net>\n" +
        "Original-Rcpt-To: <user@example.com>\n" +
        "Original-Rcpt-To: <user2@example.com>\n" +
        "Arrival-Date: Thu, 8 Mar 2005 14:00:00 -0500\n" +
        "Reporting-MTA: dns; mail.example.com\n" +
        "Source-IP: 192.0.2.1\n" +
        "Authentication-Results: mail.example.com; spf=fail smtp.mail=somespammer@example.com\n" +
        "Reported-Domain: example.net\n" +
        "Reported-Uri: http://example.net/earn_money.html\n" +
        "Reported-Uri: mailto:user@example.com\n" +
        "Removal-Recipient: user@example.com\n";

    private const string OriginalMessage =
        "Content-Type: message/rfc822\n" +
        "Content-Disposition: inline\n\n" +
        "From: <somespammer@example.net>\n" +
        "Received: from mailserver.example.net (mailserver.example.net [192.0.2.1]) by example.com with ESMTP id M63d4137594e46; Thu, 08 Mar 2005 14:00:00 -0400\n" +
        "To: <Undisclosed Recipients>\n" +
        "Subject: Earn money\n" +
        "MIME-Version: 1.0\n" +
        "Content-type: text/plain\n" +
        "Message-ID: <8787KJKJ3K4J3K4J3K4J3.mail@example.net>\n" +
        "Date: Thu, 02 Sep 2004 12:31:03 -0500\n\n" +
        "Spam Spam Spam\n";

    [Fact]
    public void The_RFC_5965_example_gives_every_field_and_the_original()
    {
        var parse = FeedbackReportParser.Parse(Load(Report(Rfc5965Fields, OriginalMessage)))!;

        var report = Assert.IsType<FeedbackReport>(parse.Report);
        Assert.Null(parse.Error);
        Assert.Equal((FeedbackType.Abuse, "abuse", "SomeGenerator/1.0", "1"), (report.Type, report.FeedbackTypeName, report.UserAgent, report.Version));
        Assert.True(report.IsComplaint);
        Assert.Equal("somespammer@example.net", report.OriginalMailFrom);
        Assert.Equal(["user@example.com", "user2@example.com"], report.OriginalRcptTo);
        Assert.Equal(new DateTimeOffset(2005, 3, 8, 19, 0, 0, TimeSpan.Zero), report.ArrivalDate);
        Assert.Equal("192.0.2.1", report.SourceIp);
        Assert.Equal("dns; mail.example.com", report.ReportingMta);
        Assert.Equal(["example.net"], report.ReportedDomains);
        Assert.Equal(["http://example.net/earn_money.html", "mailto:user@example.com"], report.ReportedUris);
        Assert.Single(report.AuthenticationResults);
        Assert.Equal("8787KJKJ3K4J3K4J3K4J3.mail@example.net", report.OriginalMessageId);
        Assert.Equal("Earn money", report.OriginalMessage!.Subject);
        Assert.Contains(report.Fields, f => f.Key == "Removal-Recipient" && f.Value == "user@example.com");
        Assert.StartsWith("This is an email abuse report", report.HumanReadable);
        Assert.Empty(report.Problems);
        Assert.Null(report.AuthFailure);
    }

    [Fact]
    public void An_RFC_6591_auth_failure_report_gives_its_own_fields_and_is_no_complaint()
    {
        var fields =
            "Feedback-Type: auth-failure\n" +
            "User-Agent: Someisp!Mail-Feedback/1.0\n" +
            "Version: 1\n" +
            "Original-Mail-From: anexample.reply@a.example.com\n" +
            "Original-Rcpt-To: marketing@b.example.net\n" +
            "Arrival-Date: 8 Feb 2011 01:23:45 GMT\n" +
            "Source-IP: 192.0.2.1\n" +
            "Authentication-Results: mail.b.example.net; dkim=fail (bodyhash) header.d=a.example.com header.s=jan2011\n" +
            "Auth-Failure: bodyhash\n" +
            "Delivery-Result: delivered\n" +
            "DKIM-Canonicalized-Body: VGhpcyBpcyBhIHRlc3Q=\n" +
            "DKIM-Domain: a.example.com\n" +
            "DKIM-Identity: @a.example.com\n" +
            "DKIM-Selector: jan2011\n" +
            "Reported-Domain: a.example.com\n";
        var headersOnly = "Content-Type: text/rfc822-headers\n\nFrom: a@a.example.com\nMessage-ID: <orig-1@a.example.com>\nSubject: Test\n";

        var report = FeedbackReportParser.Parse(Load(Report(fields, headersOnly)))!.Report!;

        Assert.Equal(FeedbackType.AuthFailure, report.Type);
        Assert.False(report.IsComplaint);
        Assert.Equal(new AuthFailureFields("bodyhash", "delivered", "a.example.com", "@a.example.com", "jan2011", null, "VGhpcyBpcyBhIHRlc3Q=", null, null),
            report.AuthFailure);
        Assert.Equal(new DateTimeOffset(2011, 2, 8, 1, 23, 45, TimeSpan.Zero), report.ArrivalDate);
        Assert.Equal("orig-1@a.example.com", report.OriginalMessageId);
        Assert.Null(report.OriginalMessage);
        Assert.Equal("Test", report.OriginalHeaders![HeaderId.Subject]);
    }

    [Fact]
    public void A_report_forwarded_inside_another_message_is_found()
    {
        var inner = Report(Rfc5965Fields, OriginalMessage);
        var outer = "From: forwarder@example.test\nTo: fbl@example.test\nSubject: Fwd\nMIME-Version: 1.0\n" +
            "Content-Type: multipart/mixed; boundary=\"outer\"\n\n--outer\nContent-Type: text/plain\n\nSee attached.\n" +
            "--outer\nContent-Type: message/rfc822\n\n" + inner + "\n--outer--\n";
        Assert.Equal(FeedbackType.Abuse, FeedbackReportParser.Parse(Load(outer))!.Report!.Type);
    }

    [Theory]
    [InlineData("User-Agent: X/1\nVersion: 1\n", "A feedback report without a Feedback-Type field.")]
    [InlineData(null, "A feedback report without its machine-readable part (message/feedback-report).")]
    public void A_malformed_report_says_why(string? fields, string why)
    {
        var text = fields is null
            ? Report("", OriginalMessage).Replace("Content-Type: message/feedback-report\n\n\n", "Content-Type: application/octet-stream\n\nxx\n")
            : Report(fields, OriginalMessage);
        var parse = FeedbackReportParser.Parse(Load(text))!;
        Assert.Null(parse.Report);
        Assert.Equal(why, parse.Error);
    }

    [Fact]
    public void Missing_required_fields_are_problems_not_failures_and_other_mail_is_no_report()
    {
        var report = FeedbackReportParser.Parse(Load(Report("Feedback-Type: fraud\n", OriginalMessage)))!.Report!;
        Assert.Equal(FeedbackType.Fraud, report.Type);
        Assert.Equal(["no User-Agent field", "no Version field"], report.Problems);

        Assert.Null(FeedbackReportParser.Parse(Load("From: a@b.test\nSubject: hi\n\nhello\n")));
        Assert.Null(FeedbackReportParser.Parse(Load(Report(Rfc5965Fields, OriginalMessage, reportType: "delivery-status"))));
    }
}
