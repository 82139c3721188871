using MimeKit;
using Parley.Core.Inbound.Bounces;
using Parley.Core.Tests.Fixtures;

namespace Parley.Core.Tests.Inbound.Bounces;

/// <summary>What <see cref="DsnParser"/> reads from RFC 3464 reports, the MTA samples, and what it makes of broken ones.</summary>
public sealed class DsnParserTests
{
    private static DeliveryReport? Parse(string text) => DsnParser.Parse(MimeMessage.Load(MimeText.Stream(text)));

    private static string Sample(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Inbound", "Dsn", name + ".eml"))
            .Replace("{VERP}", "bounce+42@mail.parley.test").Replace("{RCPT}", "ana@customer.test").Replace("{MSGID}", "orig.1@mail.parley.test");

    private static string Report(string deliveryStatus, string original = "", string head = "") =>
        "From: MAILER-DAEMON@mx.customer.test\nTo: bounce@mail.parley.test\nSubject: Undelivered Mail Returned to Sender\n" + head +
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n\n" +
        "--R\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n" +
        "--R\nContent-Type: message/delivery-status\n\n" + deliveryStatus + "\n" + original + "--R--\n";

    [Fact]
    public void Each_recipient_group_keeps_its_own_action_status_and_words()
    {
        var report = Parse(Report("""
            Reporting-MTA: dns; mx.customer.test

            Final-Recipient: rfc822; ana@customer.test
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 User unknown

            Final-Recipient: rfc822; bea@customer.test
            Action: delayed
            Status: 4.4.1
            Diagnostic-Code: smtp; 451 4.4.1 Connection timed out

            """, "--R\nContent-Type: message/rfc822\n\nFrom: ada@parley.test\nTo: ana@customer.test, Bea <bea@customer.test>\nMessage-ID: <orig.1@mail.parley.test>\nSubject: Quote\n\nHi\n\n"));

        Assert.NotNull(report);
        Assert.True(report.IsStandardDsn);
        Assert.Equal("orig.1@mail.parley.test", report.OriginalMessageId);
        Assert.Equal(["ana@customer.test", "bea@customer.test"], report.OriginalRecipients);
        Assert.Equal(2, report.Recipients.Count);
        var (failed, delayed) = (report.Recipients[0], report.Recipients[1]);
        Assert.Equal(new DsnRecipient("ana@customer.test", "failed", "5.1.1", "550 5.1.1 User unknown"), failed);
        Assert.True(failed.IsFailure);
        Assert.True(failed.IsHard);
        Assert.Equal(new DsnRecipient("bea@customer.test", "delayed", "4.4.1", "451 4.4.1 Connection timed out"), delayed);
        Assert.False(delayed.IsFailure);
        Assert.False(delayed.IsHard);
    }

    [Fact]
    public void Gmails_report_takes_the_original_Message_ID_from_its_text_rfc822_headers_part()
    {
        var report = Parse(Sample("gmail"));

        Assert.NotNull(report);
        Assert.Equal("orig.1@mail.parley.test", report.OriginalMessageId);
        Assert.Equal(["ana@customer.test"], report.OriginalRecipients);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("ana@customer.test", recipient.Address);
        Assert.Equal("5.1.1", recipient.Status);
        // The folded Diagnostic-Code comes back on one line.
        Assert.Equal("550-5.1.1 The email account that you tried to reach does not exist. 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser a1si1234 - gsmtp",
            recipient.Diagnostic);
    }

    [Fact]
    public void Without_Final_Recipient_the_Original_Recipient_is_used()
    {
        var report = Parse(Report("""
            Reporting-MTA: dns; mx.customer.test

            Original-Recipient: rfc822;<Ana@Customer.test>
            Action: failed
            Status: 5.1.1

            """));

        var recipient = Assert.Single(report!.Recipients);
        Assert.Equal("Ana@Customer.test", recipient.Address);
        Assert.Equal("5.1.1", recipient.Status);
        Assert.Null(recipient.Diagnostic);
        Assert.Null(report.OriginalMessageId);
        Assert.Empty(report.OriginalRecipients);
    }

    [Fact]
    public void A_group_with_no_recipient_field_still_reports_its_status()
    {
        var report = Parse(Sample("bare-no-final-recipient"));

        var recipient = Assert.Single(report!.Recipients);
        Assert.Equal(new DsnRecipient(null, "failed", "5.2.1", null), recipient);
        Assert.True(recipient.IsHard);
        Assert.Null(report.OriginalMessageId);
    }

    [Fact]
    public void A_status_part_with_no_recipient_groups_falls_back_to_the_human_text()
    {
        var text = "From: MAILER-DAEMON@mx.customer.test\nTo: bounce@mail.parley.test\nSubject: Undelivered\nMIME-Version: 1.0\n" +
                   "Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n\n" +
                   "--R\nContent-Type: text/plain\n\nDelivery to the following recipient failed permanently:\n\n     ana@customer.test\n\n" +
                   "550 5.2.2 Mailbox full\n\n" +
                   "--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.customer.test\n\n--R--\n";

        var recipient = Assert.Single(Parse(text)!.Recipients);

        Assert.Equal(new DsnRecipient("ana@customer.test", "failed", "5.2.2", "550 5.2.2 Mailbox full"), recipient);
    }

    [Fact]
    public void Field_names_in_any_case_and_folded_values_are_read()
    {
        var report = Parse(Report("""
            REPORTING-MTA: dns; mx.customer.test

            final-recipient: RFC822;
              ana@customer.test
            ACTION: Failed
            status: 5.7.1
            diagnostic-CODE: smtp; 550 5.7.1 Message rejected
              because it looks like
            	spam

            """));

        var recipient = Assert.Single(report!.Recipients);
        Assert.Equal("ana@customer.test", recipient.Address);
        Assert.Equal("failed", recipient.Action);
        Assert.Equal("5.7.1", recipient.Status);
        Assert.Equal("550 5.7.1 Message rejected because it looks like spam", recipient.Diagnostic);
    }

    [Fact]
    public void The_status_code_is_taken_from_the_diagnostic_when_the_Status_field_is_not_one()
    {
        var report = Parse(Report("""
            Reporting-MTA: dns; mx.customer.test

            Final-Recipient: rfc822; ana@customer.test
            Action: failed
            Status: unknown
            Diagnostic-Code: smtp; 552 5.2.2 Over quota

            """));

        Assert.Equal("5.2.2", Assert.Single(report!.Recipients).Status);
    }

    [Fact]
    public void A_plain_text_bounce_is_read_for_its_address_code_and_embedded_Message_ID()
    {
        var text = Sample("qmail-text") + "\n--- Below this line is a copy of the message.\n\nMessage-ID: <orig.1@mail.parley.test>\nSubject: Your quote\n";

        var report = Parse(text);

        Assert.NotNull(report);
        Assert.False(report.IsStandardDsn);
        Assert.Equal("orig.1@mail.parley.test", report.OriginalMessageId);
        Assert.Equal(new DsnRecipient("ana@customer.test", "failed", "5.1.1", "Remote host said: 550 5.1.1 Mailbox does not exist"), Assert.Single(report.Recipients));
    }

    [Fact]
    public void An_ordinary_email_is_not_a_report()
    {
        Assert.Null(Parse("From: ana@customer.test\nTo: ada@parley.test\nSubject: Re: Your quote\nMIME-Version: 1.0\nContent-Type: text/plain\n\nDeal, 550 units please.\n"));
    }

    [Theory]
    [InlineData("\u0000\u0001\u0002 not: a\n: header\n\n\n::::\n")]
    [InlineData("")]
    [InlineData("Final-Recipient\nAction\nStatus\n")]
    public void A_malformed_status_part_gives_a_report_with_nothing_usable_and_does_not_throw(string deliveryStatus)
    {
        var text = "From: nobody@mx.customer.test\nTo: bounce@mail.parley.test\nSubject: report\nMIME-Version: 1.0\n" +
                   "Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n\n" +
                   "--R\nContent-Type: message/delivery-status\n\n" + deliveryStatus + "\n" +
                   "--R\nContent-Type: text/rfc822-headers\n\n\u0000garbage without colon\n--R--\n";

        var report = Parse(text);

        Assert.NotNull(report);
        Assert.Null(report.OriginalMessageId);
        Assert.Empty(report.OriginalRecipients);
        Assert.All(report.Recipients, r => Assert.Null(r.Address));
        Assert.All(report.Recipients, r => Assert.Null(r.Status));
    }

    [Theory]
    [InlineData("failed", "5.1.1", true, false)]
    [InlineData("", "5.1.1", true, false)]
    [InlineData("", "", true, false)] // a report that says nothing else is a failure report
    [InlineData("", "4.2.2", false, false)] // no Action, a transient status: a warning, not a failure
    [InlineData("", "2.0.0", false, true)] // no Action, a success status
    [InlineData("delayed", "4.4.1", false, false)]
    [InlineData("delivered", "2.0.0", false, true)]
    [InlineData("relayed", "", false, true)]
    public void A_recipients_outcome_follows_its_action_and_status(string action, string status, bool failure, bool success)
    {
        var recipient = new DsnRecipient("ana@customer.test", action, status.Length == 0 ? null : status, null);
        Assert.Equal((failure, success), (recipient.IsFailure, recipient.IsSuccess));
    }
}
