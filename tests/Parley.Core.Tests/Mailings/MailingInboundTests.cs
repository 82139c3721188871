using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Chatter;
using Parley.Core.Identity;
using Parley.Core.Inbound;
using Parley.Core.Mailings;
using Parley.Core.Outbox;
using Parley.Core.Suppression;
using Parley.Core.Templates;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Mailings;

/// <summary>
/// What comes back from a mailing through Parley's own inbound: mail to the List-Unsubscribe mailto: address unsubscribes,
/// a feedback-loop complaint (ARF) suppresses and counts as complained, a malformed report stays unrouted with the reason,
/// a reply counts as replied and lands on the record.
/// </summary>
public abstract class MailingInboundTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private async Task<(Mailing Mailing, ChatterMessage Email, OutboxItem Delivery)> SentMailingAsync()
    {
        var user = await Env.CreateUserAsync();
        await Env.SetAliasDomainAsync();
        await Env.CreateContactAsync("Ana Lima", "ana@customer.test", null);
        var template = await Env.With<TemplateService, MailTemplate>(t => t.CreateAsync(
            new TemplateInput("Spring", "contact", "Spring offer", "Hello {{ record.name }}"), default));
        var mailing = await Env.With<MailingService, Mailing>(m => m.CreateAsync(
            new MailingInput("Spring offer", template.Id, null, null, null, null, null), user, "https://parley.test", default));
        await Env.With<MailingService, Mailing>(m => m.SendAsync(mailing.Id, user, default));
        await Env.With<MailingScheduler, DateTimeOffset?>(s => s.RunPassAsync("node-a", default));
        await Env.With<OutboxProcessor, int>(p => p.ProcessDueAsync(default));
        var delivery = await Env.Db(db => db.Outbox.AsNoTracking().Include(o => o.ChatterMessage).ThenInclude(m => m!.RawMime).SingleAsync());
        return (mailing, delivery.ChatterMessage!, delivery);
    }

    private Task<long> StoreAsync(string mime, string mailFrom, params string[] recipients) =>
        Env.ReceiveAsync(mime, mailFrom, recipients, helo: "mx.customer.test");

    private async Task<InboundMessage> RouteAsync(long id)
    {
        await Env.With<InboundRouter, int>(r => r.RoutePendingAsync(100, default));
        return await Env.Db(db => db.Inbound.AsNoTracking().SingleAsync(i => i.Id == id));
    }

    private Task<MailingCounts> CountsAsync(long id) => Env.With<MailingReader, MailingSummary>(r => r.GetAsync(id, default)).ContinueWith(t => t.Result.Counts);

    private static string Arf(string originalHeaders, string feedbackType = "abuse", string? rcptTo = "ana@customer.test") =>
        "From: Yahoo Feedback <feedback@yahoo.test>\n" +
        "To: abuse@mail.parley.test\n" +
        "Subject: FW: Spring offer\n" +
        "Date: Mon, 23 Nov 2026 12:00:00 +0000\n" +
        "Message-ID: <arf-1@yahoo.test>\n" +
        "MIME-Version: 1.0\n" +
        "Content-Type: multipart/report; report-type=feedback-report; boundary=\"arf\"\n\n" +
        "--arf\n" +
        "Content-Type: text/plain; charset=us-ascii\n\n" +
        "This is an email abuse report for an email message received from IP 192.0.2.1.\n\n" +
        "--arf\n" +
        "Content-Type: message/feedback-report\n\n" +
        $"Feedback-Type: {feedbackType}\n" +
        "User-Agent: Yahoo!-Mail-Feedback/2.0\n" +
        "Version: 1\n" +
        "Original-Mail-From: <bounce@example.invalid>\n" +
        (rcptTo is null ? "" : $"Original-Rcpt-To: <{rcptTo}>\n") +
        "Arrival-Date: Mon, 23 Nov 2026 09:01:00 +0000\n" +
        "Source-IP: 192.0.2.1\n" +
        "Reported-Domain: parley.test\n\n" +
        "--arf\n" +
        "Content-Type: text/rfc822-headers\n\n" +
        originalHeaders +
        "\n--arf--\n";

    [Fact]
    public async Task Mail_to_the_mailto_unsubscribe_address_suppresses_and_a_forged_one_is_refused_at_RCPT()
    {
        var (mailing, email, _) = await SentMailingAsync();
        var mailto = MimeText.Parse(email.RawMime!.Content).Headers["List-Unsubscribe"]!.Split(',')[1].Trim(' ', '<', '>');
        var address = mailto["mailto:".Length..mailto.IndexOf('?')];
        var at = address.IndexOf('@');
        var forged = address[..(at - 1)] + (address[at - 1] == 'a' ? 'b' : 'a') + address[at..];
        await Env.With<InboundSettingsService, InboundSettings>(s => s.SetAsync(InboundSettings.Default with { Catchall = CatchallPolicy.Reject }, default));
        var acceptance = Env.Services.GetRequiredService<RecipientAcceptance>();
        Assert.Equal(RecipientVerdict.Accepted, await acceptance.CheckAsync(address, default));
        Assert.Equal(RecipientVerdict.Unknown, await acceptance.CheckAsync(forged, default));

        var id = await StoreAsync("From: Ana <ana@customer.test>\nTo: " + address + "\nSubject: unsubscribe\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n" +
            "Message-ID: <u-1@customer.test>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nunsubscribe\n", "ana@customer.test", address);
        var routed = await RouteAsync(id);

        Assert.Equal(InboundStatus.Routed, routed.Status);
        Assert.Contains("ana@customer.test will get no more mailings", routed.Route);
        var entry = await Env.With<SuppressionService, SuppressedAddress?>(s => s.FindAsync("ana@customer.test", default));
        Assert.Equal(SuppressionReason.Unsubscribe, entry!.Reason);
        Assert.Equal(1, (await CountsAsync(mailing.Id)).Unsubscribed);
    }

    [Fact]
    public async Task An_unsubscribe_mail_that_answers_the_mailing_unsubscribes_and_does_not_thread_as_a_reply()
    {
        // Special inboxes come before reply threading (SpecialInboxes): the address decides, not the In-Reply-To.
        var (mailing, email, _) = await SentMailingAsync();
        var mailto = MimeText.Parse(email.RawMime!.Content).Headers["List-Unsubscribe"]!.Split(',')[1].Trim(' ', '<', '>');
        var address = mailto["mailto:".Length..mailto.IndexOf('?')];
        var id = await StoreAsync("From: Ana <ana@customer.test>\nTo: " + address + "\nSubject: Re: Spring offer\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n" +
            $"Message-ID: <u-2@customer.test>\nIn-Reply-To: <{email.MessageId}>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nunsubscribe\n",
            "ana@customer.test", address);
        var routed = await RouteAsync(id);

        Assert.Equal(InboundStatus.Routed, routed.Status);
        Assert.Contains("ana@customer.test will get no more mailings", routed.Route);
        Assert.Null(routed.ChatterMessageId);
        Assert.Equal(0, await Env.Db(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.In)));
        var counts = await CountsAsync(mailing.Id);
        Assert.Equal(1, counts.Unsubscribed);
        Assert.Equal(0, counts.Replied);
    }

    [Fact]
    public async Task A_complaint_received_twice_is_applied_once_and_the_second_copy_is_a_duplicate()
    {
        var (_, email, _) = await SentMailingAsync();
        var report = Arf($"From: Ada Admin <ada@parley.test>\nTo: ana@customer.test\nSubject: Spring offer\nMessage-ID: <{email.MessageId}>\n");
        var first = await StoreAsync(report, "", "abuse@mail.parley.test");
        Assert.Equal(InboundStatus.Routed, (await RouteAsync(first)).Status);
        var second = await StoreAsync(report, "", "abuse@mail.parley.test");

        Assert.Equal(InboundStatus.Duplicate, (await RouteAsync(second)).Status);
        Assert.Equal(1, await Env.Db(db => db.Messages.CountAsync(m => m.Kind == MessageKind.Event)));
    }

    [Fact]
    public async Task A_complaint_found_by_Message_ID_suppresses_counts_and_shows_in_the_timeline()
    {
        var (mailing, email, _) = await SentMailingAsync();
        var id = await StoreAsync(Arf($"From: Ada Admin <ada@parley.test>\nTo: ana@customer.test\nSubject: Spring offer\nMessage-ID: <{email.MessageId}>\n"),
            "", "abuse@mail.parley.test");
        var routed = await RouteAsync(id);

        Assert.Equal(InboundStatus.Routed, routed.Status);
        Assert.StartsWith("Complaint (abuse) from Yahoo!-Mail-Feedback/2.0 about outbox #", routed.Route);
        var entry = await Env.With<SuppressionService, SuppressedAddress?>(s => s.FindAsync("ana@customer.test", default));
        Assert.Equal(SuppressionReason.Complaint, entry!.Reason);
        Assert.Equal(1, (await CountsAsync(mailing.Id)).Complained);
        var note = await Env.Db(db => db.Messages.AsNoTracking().SingleAsync(m => m.Kind == MessageKind.Event));
        Assert.Equal((email.RecordType, email.RecordId), (note.RecordType, note.RecordId));
        Assert.Contains("marked \"Spring offer\" as spam", note.BodyText);
        // A complaint stops transactional mail too.
        var user = await Env.Db(db => db.Users.AsNoTracking().SingleAsync());
        await Assert.ThrowsAsync<Parley.Core.Common.InvalidInputException>(() => Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(
            new Core.Records.RecordRef(email.RecordType, email.RecordId), new ComposeRequest(MessageKind.Email, "Hi", "Hello", null),
            UserService.ToActing(user), default)));
    }

    [Fact]
    public async Task A_complaint_to_the_VERP_address_finds_the_email_even_without_its_Message_ID()
    {
        var (mailing, _, delivery) = await SentMailingAsync();
        var verp = (await Env.With<ReplyAddressProvider, BounceAddress>(p => p.GetBounceAsync(default))).For(delivery.Id, "mail.parley.test");
        var id = await StoreAsync(Arf("From: someone\nSubject: Spring offer\n", rcptTo: null), "", verp);
        var routed = await RouteAsync(id);

        Assert.Equal(InboundStatus.Routed, routed.Status);
        Assert.Contains($"outbox #{delivery.Id} to ana@customer.test", routed.Route);
        Assert.Equal(1, (await CountsAsync(mailing.Id)).Complained);
    }

    [Fact]
    public async Task A_malformed_feedback_report_stays_unrouted_with_the_reason_and_changes_nothing()
    {
        await SentMailingAsync();
        var id = await StoreAsync(Arf("Subject: x\n").Replace("Feedback-Type: abuse\n", ""), "", "abuse@mail.parley.test");
        var routed = await RouteAsync(id);

        Assert.Equal(InboundStatus.Unrouted, routed.Status);
        Assert.Equal("Malformed feedback report: A feedback report without a Feedback-Type field. It is kept as received.", routed.Error);
        Assert.Null(await Env.With<SuppressionService, SuppressedAddress?>(s => s.FindAsync("ana@customer.test", default)));
    }

    [Fact]
    public async Task A_reply_to_a_mailing_lands_on_the_record_and_counts_as_replied()
    {
        var (mailing, email, _) = await SentMailingAsync();
        var id = await StoreAsync("From: Ana Lima <ana@customer.test>\nTo: catchall@mail.parley.test\nSubject: Re: Spring offer\n" +
            $"Date: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <r-1@customer.test>\nIn-Reply-To: <{email.MessageId}>\n" +
            "MIME-Version: 1.0\nContent-Type: text/plain\n\nI'll take two.\n", "ana@customer.test", "catchall@mail.parley.test");
        var routed = await RouteAsync(id);

        Assert.Equal(InboundStatus.Routed, routed.Status);
        var reply = await Env.Db(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == routed.ChatterMessageId));
        Assert.Equal((email.RecordType, email.RecordId), (reply.RecordType, reply.RecordId));
        Assert.Equal(1, (await CountsAsync(mailing.Id)).Replied);
    }
}

public sealed class MailingInboundSqliteTests() : MailingInboundTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class MailingInboundPostgresTests(PostgresFixture pg) : MailingInboundTests(new PostgresDatabaseFactory(pg));
