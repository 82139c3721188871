using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Identity;
using Parley.Core.Mailings;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Suppression;
using Parley.Core.Templates;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Mailings;

/// <summary>
/// A mailing's life on each provider: made as a draft or scheduled, refused with the reason when it cannot be sent, queued
/// by the scheduler in chunks (one email per contact, suppressed ones counted), delivered, marked sent; paced; cancelled
/// with what was not handed to a server; sent through its own relay; unsubscribed from.
/// </summary>
public abstract class MailingLifeTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private ActingUser _user = null!;

    private async Task<MailTemplate> SetUpAsync(string body = "Hello {{ record.name }},\n\nour spring offer.")
    {
        _user = await Env.CreateUserAsync();
        await Env.SetAliasDomainAsync();
        return await Env.With<TemplateService, MailTemplate>(t => t.CreateAsync(
            new TemplateInput("Spring", "contact", "Spring offer for {{ record.first_name }}", body), default));
    }

    private Task<Mailing> CreateAsync(MailingInput input) =>
        Env.With<MailingService, Mailing>(m => m.CreateAsync(input, _user, "https://parley.test", default));

    private async Task<Mailing> CreateAndSendAsync(MailingInput input)
    {
        var mailing = await CreateAsync(input);
        await Env.With<MailingService, Mailing>(m => m.SendAsync(mailing.Id, _user, default));
        await PassAsync();
        return mailing;
    }

    private Task PassAsync() => Env.With<MailingScheduler, DateTimeOffset?>(s => s.RunPassAsync("node-a", default));

    private async Task DeliverDueAsync()
    {
        while (await Env.With<OutboxProcessor, int>(p => p.ProcessDueAsync(default)) > 0)
        {
        }
    }

    private Task<MailingSummary> SummaryAsync(long id) => Env.With<MailingReader, MailingSummary>(r => r.GetAsync(id, default));

    private static MailingInput To(long templateId, string? tag = null, IReadOnlyList<long>? ids = null, DateTimeOffset? at = null,
        long? server = null, int? perHour = null) =>
        new("Spring offer", templateId, null, tag, ids, at, server, perHour);

    [Fact]
    public async Task Every_contact_gets_one_email_across_chunks_the_suppressed_one_is_counted_and_the_mailing_ends_sent()
    {
        var template = await SetUpAsync();
        var count = MailingQueuer.ChunkSize * 2 + 30;
        var contacts = new List<Contact>();
        for (var i = 0; i < count; i++)
        {
            contacts.Add(await Env.CreateContactAsync($"Person {i}", $"person{i}@customer.test", null));
        }
        await Env.With<SuppressionService>(s => s.AddAsync("person7@customer.test", "asked not to be emailed", default));

        var mailing = await CreateAsync(To(template.Id));
        Assert.Equal(MailingState.Draft, mailing.State);
        Assert.Equal(0, await Env.Db(db => db.Outbox.CountAsync()));
        Assert.Equal(count, (await SummaryAsync(mailing.Id)).Counts.Total);
        await Env.With<MailingService, Mailing>(m => m.SendAsync(mailing.Id, _user, default));
        await PassAsync();

        var queued = await SummaryAsync(mailing.Id);
        Assert.Equal(MailingState.Sending, queued.Mailing.State);
        Assert.NotNull(queued.Mailing.QueuedAt);
        Assert.Equal((count, count - 1, 1, 0), (queued.Counts.Total, queued.Counts.Queued, queued.Counts.Suppressed, queued.Counts.Sent));
        var messages = await Env.Db(db => db.Messages.AsNoTracking().Include(m => m.RawMime).Where(m => m.Direction == MessageDirection.Out).ToListAsync());
        var outbox = await Env.Db(db => db.Outbox.AsNoTracking().ToListAsync());
        Assert.Equal(count - 1, messages.Count);
        Assert.All(outbox, o => Assert.Equal(mailing.Id, o.MailingId));
        foreach (var contact in contacts.Where(c => c.Email != "person7@customer.test"))
        {
            var message = Assert.Single(messages, m => m.RecordType == "contact" && m.RecordId == contact.Id);
            Assert.Equal($"Spring offer for Person", message.Subject);
            Assert.Equal(contact.Email, Assert.Single(outbox, o => o.ChatterMessageId == message.Id).Recipient);
        }
        var first = MimeText.Parse(messages.Single(m => m.RecordId == contacts[0].Id).RawMime!.Content);
        var unsubscribe = first.Headers["List-Unsubscribe"]!;
        Assert.Matches(@"^<https://parley\.test/unsubscribe/[0-9]+-[0-9]+-[0-9a-f]{12}>, <mailto:unsubscribe\+[0-9]+-[0-9]+-[0-9a-f]{12}@mail\.parley\.test\?subject=unsubscribe>$", unsubscribe);
        Assert.Equal("List-Unsubscribe=One-Click", first.Headers["List-Unsubscribe-Post"]);
        Assert.Equal($"\"Spring offer\" <mailing-{mailing.Id}.mail.parley.test>", first.Headers["List-Id"]);
        Assert.Equal("bulk", first.Headers["Precedence"]);
        var link = unsubscribe.Split(',')[0].Trim('<', '>', ' ');
        Assert.Contains($"Unsubscribe: {link}", first.TextBody);
        Assert.Contains(link, first.HtmlBody);

        // The record's timeline says it in one line, with the mailing.
        var entries = await Env.With<TimelineReader, List<TimelineEntry>>(t => t.ReadAsync(new RecordRef("contact", contacts[0].Id), null, 10, default));
        Assert.Equal((mailing.Id, "Spring offer"), Assert.Single(entries).Mailing);

        await DeliverDueAsync();
        await PassAsync();
        var sent = await SummaryAsync(mailing.Id);
        Assert.Equal(MailingState.Sent, sent.Mailing.State);
        Assert.NotNull(sent.Mailing.FinishedAt);
        Assert.Equal((count - 1, count - 1, 0, 1), (sent.Counts.Sent, sent.Counts.Delivered, sent.Counts.Queued, sent.Counts.Suppressed));
        var (recipients, total) = await Env.With<MailingReader, (List<RecipientView>, int)>(r => r.RecipientsAsync(mailing.Id, "suppressed", 0, 10, default));
        Assert.Equal(1, total);
        Assert.Equal("person7@customer.test", Assert.Single(recipients).Address);
        Assert.Equal("suppressed", recipients[0].State);
    }

    [Fact]
    public async Task A_mailing_to_nobody_or_in_the_past_is_refused_with_the_reason()
    {
        var template = await SetUpAsync();
        await Env.CreateContactAsync();

        var nobody = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync(To(template.Id, tag: "nobody-has-this")));
        Assert.Equal("Nobody to send to: no record is among contact records tagged \"nobody-has-this\".", nobody.Errors["tag"].Single());
        var past = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync(To(template.Id, at: Env.Clock.GetUtcNow().AddMinutes(-1))));
        Assert.Contains("is in the past", past.Errors["scheduledAt"].Single());
        var noSuchIds = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync(To(template.Id, ids: [999_999])));
        Assert.StartsWith("Nobody to send to", noSuchIds.Errors["recordIds"].Single());
        Assert.Equal(0, await Env.Db(db => db.Mailings.CountAsync()));
    }

    [Fact]
    public async Task A_scheduled_mailing_waits_for_its_time_and_then_goes()
    {
        var template = await SetUpAsync();
        await Env.CreateContactAsync();
        var mailing = await CreateAsync(To(template.Id, at: Env.Clock.GetUtcNow().AddHours(1)));
        Assert.Equal(MailingState.Scheduled, mailing.State);

        var next = await Env.With<MailingScheduler, DateTimeOffset?>(s => s.RunPassAsync("node-a", default));
        Assert.Equal(Env.Clock.GetUtcNow().AddHours(1), next);
        Assert.Equal(MailingState.Scheduled, (await SummaryAsync(mailing.Id)).Mailing.State);
        Assert.Equal(0, await Env.Db(db => db.Outbox.CountAsync()));

        Env.Clock.Advance(TimeSpan.FromHours(1));
        await PassAsync();
        var started = await SummaryAsync(mailing.Id);
        Assert.Equal(MailingState.Sending, started.Mailing.State);
        Assert.Equal(1, started.Counts.Queued);
    }

    [Fact]
    public async Task A_paced_mailing_spreads_its_emails_and_a_cancel_stops_those_not_handed_to_a_server()
    {
        var template = await SetUpAsync();
        for (var i = 0; i < 3; i++)
        {
            await Env.CreateContactAsync($"Person {i}", $"person{i}@customer.test", null);
        }
        var mailing = await CreateAndSendAsync(To(template.Id, perHour: 2));
        var due = await Env.Db(db => db.Outbox.AsNoTracking().OrderBy(o => o.Id).Select(o => o.NextAttemptAt).ToListAsync());
        var start = Env.Clock.GetUtcNow();
        Assert.Equal([start, start.AddMinutes(30), start.AddMinutes(60)], due);

        await DeliverDueAsync();
        Assert.Single(Env.Transport.Attempts);
        var cancelled = await Env.With<MailingService, Mailing>(m => m.CancelAsync(mailing.Id, default));
        Assert.Equal(MailingState.Cancelled, cancelled.State);

        Env.Clock.Advance(TimeSpan.FromHours(2));
        await DeliverDueAsync();
        await PassAsync();
        Assert.Single(Env.Transport.Attempts);
        var summary = await SummaryAsync(mailing.Id);
        Assert.Equal((MailingState.Cancelled, 1, 2, 0, 0), (summary.Mailing.State, summary.Counts.Sent, summary.Counts.Cancelled, summary.Counts.Queued, summary.Counts.Failed));
        var messages = await Env.Db(db => db.Messages.AsNoTracking().Where(m => m.State == DeliveryState.Failed).ToListAsync());
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal("The mailing was cancelled before this email was handed to a server.", m.Error));
        await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<MailingService, Mailing>(m => m.SendAsync(mailing.Id, _user, default)));
    }

    [Fact]
    public async Task A_mailing_leaves_through_its_own_outgoing_server_and_other_mail_does_not()
    {
        var template = await SetUpAsync();
        var contact = await Env.CreateContactAsync();
        var transactional = await Env.With<OutgoingServerService, OutgoingServer>(s => s.CreateAsync(
            new OutgoingServerInput("transactional", "relay-a.test", 25, "none", null, null, Priority: 1), default));
        var bulk = await Env.With<OutgoingServerService, OutgoingServer>(s => s.CreateAsync(
            new OutgoingServerInput("bulk", "relay-b.test", 25, "none", null, null, Priority: 9), default));

        await CreateAndSendAsync(To(template.Id, server: bulk.Id));
        await Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(new RecordRef("contact", contact.Id),
            new ComposeRequest(MessageKind.Email, "Your order", "It ships today.", null), _user, default));
        await DeliverDueAsync();

        var attempts = Env.Transport.Attempts.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal("relay-b.test", attempts.Single(a => Encoding.UTF8.GetString(a.RawMime).Contains("List-Id:")).Relay!.Host);
        Assert.Equal(transactional.Host, attempts.Single(a => !Encoding.UTF8.GetString(a.RawMime).Contains("List-Id:")).Relay!.Host);
    }

    [Fact]
    public async Task Unsubscribing_suppresses_at_once_the_next_mailing_skips_the_address_and_transactional_mail_still_goes()
    {
        var template = await SetUpAsync();
        var ana = await Env.CreateContactAsync("Ana Lima", "ana@customer.test", null);
        await Env.CreateContactAsync("Bruno Sousa", "bruno@customer.test", null);
        var first = await CreateAndSendAsync(To(template.Id));
        var raw = await Env.Db(db => db.Messages.Where(m => m.RecordId == ana.Id).Select(m => m.RawMime!.Content).SingleAsync());
        var token = MimeText.Parse(raw).Headers["List-Unsubscribe"]!.Split(',')[0].Trim('<', '>', ' ').Split('/')[^1];

        Assert.Null(await Env.With<UnsubscribeService, string?>(u => u.UnsubscribeAsync(token[..^1] + (token[^1] == '0' ? '1' : '0'), default)));
        Assert.Equal("ana@customer.test", await Env.With<UnsubscribeService, string?>(u => u.UnsubscribeAsync(token, default)));
        var entry = await Env.With<SuppressionService, SuppressedAddress?>(s => s.FindAsync("ana@customer.test", default));
        Assert.Equal(SuppressionReason.Unsubscribe, entry!.Reason);
        Assert.Equal(1, (await SummaryAsync(first.Id)).Counts.Unsubscribed);

        var second = await CreateAndSendAsync(To(template.Id));
        var counts = (await SummaryAsync(second.Id)).Counts;
        Assert.Equal((2, 1, 1), (counts.Total, counts.Queued, counts.Suppressed));
        // A reply to Ana's question still goes: she unsubscribed from mailings, not from the conversation.
        var reply = await Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(new RecordRef("contact", ana.Id),
            new ComposeRequest(MessageKind.Email, "Your question", "Here is the answer.", null), _user, default));
        Assert.Equal(DeliveryState.Queued, reply.State);

        // A year on, the link has expired and names nobody, as a forged one does.
        Env.Clock.Advance(TimeSpan.FromDays(366));
        Assert.Null(await Env.With<UnsubscribeService, UnsubscribeTarget?>(u => u.FindAsync(token, default)));
    }

    [Fact]
    public async Task A_test_copy_goes_to_a_user_marked_as_a_test_and_never_to_a_customer()
    {
        var template = await SetUpAsync();
        await Env.CreateContactAsync();
        var mailing = await CreateAsync(To(template.Id));

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Env.With<MailingService, ChatterMessage>(m => m.SendTestAsync(mailing.Id, "ana@customer.test", null, _user, default)));
        Assert.Contains("is not a Parley user's address", refused.Errors["to"].Single());
        var test = await Env.With<MailingService, ChatterMessage>(m => m.SendTestAsync(mailing.Id, _user.Email, null, _user, default));
        Assert.Equal("[Test] Spring offer for Ana", test.Subject);
        Assert.Equal((MailingProgress.LiveType, mailing.Id), (test.RecordType, test.RecordId));
        await DeliverDueAsync();
        var attempt = Assert.Single(Env.Transport.Attempts);
        Assert.Equal([_user.Email], attempt.Recipients);
        Assert.DoesNotContain("/unsubscribe/", Encoding.UTF8.GetString(attempt.RawMime));
        Assert.Equal(MailingState.Draft, (await SummaryAsync(mailing.Id)).Mailing.State);
    }

    [Fact]
    public async Task A_mailing_past_the_complaint_line_is_paused_with_its_unsent_emails_held_until_an_admin_resumes_it()
    {
        var template = await SetUpAsync();
        for (var i = 0; i < 5; i++)
        {
            await Env.CreateContactAsync($"Person {i}", $"person{i}@customer.test", null);
        }
        await using var node = Env.Build(Env.Transport, "node-a", [], configure: s => s.Configure<MailingOptions>(o => o.ComplaintStopMinimumSent = 3));
        async Task<T> On<TService, T>(Func<TService, Task<T>> action) where TService : notnull
        {
            await using var scope = node.CreateAsyncScope();
            return await action(scope.ServiceProvider.GetRequiredService<TService>());
        }
        var mailing = await CreateAndSendAsync(To(template.Id, perHour: 3600));
        Env.Clock.Advance(TimeSpan.FromSeconds(2));
        await DeliverDueAsync();
        Assert.Equal(3, Env.Transport.Attempts.Count);
        var first = await Env.Db(db => db.MailingRecipients.OrderBy(r => r.Id).Select(r => r.Id).FirstAsync());
        await Env.Db(db => db.MailingRecipients.Where(r => r.Id == first).ExecuteUpdateAsync(u => u.SetProperty(r => r.ComplainedAt, Env.Clock.GetUtcNow())));

        // One complaint among three sent is far past 0.3 %: the pass pauses it and says why.
        await On<MailingScheduler, DateTimeOffset?>(s => s.RunPassAsync("node-a", default));
        var paused = await SummaryAsync(mailing.Id);
        Assert.Equal(MailingState.Paused, paused.Mailing.State);
        Assert.Equal("1 complaints for 3 emails sent (33.33 %), past the 0.3 % providers tolerate.", paused.Mailing.Note);
        Assert.StartsWith("Complaints are at 33.33 % of the emails sent, past the 0.3 %", MailingRules.Warning(paused.Counts));
        var told = await Env.Db(db => db.Messages.AsNoTracking().SingleAsync(m => m.RecordType == MailingProgress.LiveType && m.Kind == MessageKind.Event));
        Assert.StartsWith("Paused: 1 complaints", told.BodyText);
        Env.Clock.Advance(TimeSpan.FromHours(1));
        await DeliverDueAsync();
        Assert.Equal(3, Env.Transport.Attempts.Count);
        Assert.Equal(2, (await SummaryAsync(mailing.Id)).Counts.Deferred);

        var member = UserService.ToActing(await Env.With<UserService, User>(u => u.CreateAsync("Max Member", "max@parley.test", "correct horse battery", false, default)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Env.With<MailingService, Mailing>(m => m.ResumeAsync(mailing.Id, member, default)));
        var resumed = await Env.With<MailingService, Mailing>(m => m.ResumeAsync(mailing.Id, _user, default));
        Assert.Equal((MailingState.Sending, true), (resumed.State, resumed.RulesOverridden));
        Assert.StartsWith("Resumed by Ada Admin despite: 1 complaints", resumed.Note);
        await DeliverDueAsync();
        await On<MailingScheduler, DateTimeOffset?>(s => s.RunPassAsync("node-a", default));
        Assert.Equal(5, Env.Transport.Attempts.Count);
        Assert.Equal(MailingState.Sent, (await SummaryAsync(mailing.Id)).Mailing.State);
    }

    [Fact]
    public async Task A_big_mailing_waits_for_aligned_authentication_unless_an_admin_overrides_it()
    {
        var template = await SetUpAsync();
        await Env.CreateContactAsync("Ana Lima", "ana@customer.test", null);
        await Env.CreateContactAsync("Bruno Sousa", "bruno@customer.test", null);
        await using var node = Env.Build(Env.Transport, "node-a", [], configure: s => s.Configure<MailingOptions>(o => o.AlignmentGateRecipients = 1));
        async Task<T> On<T>(Func<MailingService, Task<T>> action)
        {
            await using var scope = node.CreateAsyncScope();
            return await action(scope.ServiceProvider.GetRequiredService<MailingService>());
        }
        var draft = await Env.With<MailingService, Mailing>(m => m.CreateAsync(To(template.Id), _user, "https://parley.test", default));

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => On(m => m.SendAsync(draft.Id, _user, default)));
        Assert.Equal("A mailing to 2 recipients waits for aligned authentication. Neither parley.test nor mail.parley.test is a registered sending domain, " +
            "so the doctor has not checked them. An admin can send it anyway.", refused.Errors["alignment"].Single());
        var member = UserService.ToActing(await Env.With<UserService, User>(u => u.CreateAsync("Max Member", "max@parley.test", "correct horse battery", false, default)));
        await Assert.ThrowsAsync<InvalidInputException>(() => On(m => m.SendAsync(draft.Id, member, default, overrideRules: true)));
        Assert.Equal(MailingState.Draft, (await SummaryAsync(draft.Id)).Mailing.State);

        var sent = await On(m => m.SendAsync(draft.Id, _user, default, overrideRules: true));
        Assert.Equal((MailingState.Sending, true), (sent.State, sent.RulesOverridden));
        Assert.StartsWith("Sent by Ada Admin to 2 recipients despite the alignment check: Neither parley.test", sent.Note);
    }

    [Fact]
    public async Task A_templates_From_override_is_refused_when_no_route_may_send_as_it_and_used_by_its_mailings_when_one_may()
    {
        await SetUpAsync();
        await Env.CreateContactAsync();
        var input = new TemplateInput("Brand news", "contact", "News", "Hello {{ record.name }}, from {{ user.name }}", "Brand Team", "news@brand.test");

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<TemplateService, MailTemplate>(t => t.CreateAsync(input, default)));
        Assert.StartsWith("No route may send as news@brand.test: From rewritten to notifications@mail.parley.test because brand.test is not a registered sending domain.",
            refused.Errors["fromAddress"].Single());
        await Env.With<OutgoingServerService, OutgoingServer>(s => s.CreateAsync(
            new OutgoingServerInput("brand relay", "relay.brand.test", 25, "none", null, null, FromFilter: "@brand.test"), default));
        var template = await Env.With<TemplateService, MailTemplate>(t => t.CreateAsync(input, default));
        Assert.Equal(("Brand Team", "news@brand.test"), (template.FromName, template.FromAddress));

        await CreateAndSendAsync(To(template.Id));
        await DeliverDueAsync();
        var sent = MimeText.Parse(Assert.Single(Env.Transport.Attempts).RawMime);
        Assert.Equal("\"Brand Team\" <news@brand.test>", sent.From.ToString());
        Assert.Contains("from Ada Admin", sent.TextBody);
    }

    [Fact]
    public async Task A_templates_default_attachments_go_with_every_email_of_its_mailings_within_their_bound()
    {
        var template = await SetUpAsync();
        await Env.CreateContactAsync("Ana Lima", "ana@customer.test", null);
        await Env.CreateContactAsync("Bruno Sousa", "bruno@customer.test", null);
        var prices = Encoding.UTF8.GetBytes("%PDF-1.4 price list");
        await Env.With<TemplateAttachmentService, TemplateAttachment>(a => a.SetAsync(template.Id, "prices.pdf", "application/pdf", prices, default));
        var tooBig = await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<TemplateAttachmentService, TemplateAttachment>(a =>
            a.SetAsync(template.Id, "huge.bin", null, new byte[TemplateAttachmentService.MaxFileSize + 1], default)));
        Assert.Contains("at most 5 MB", tooBig.Errors["file"].Single());
        await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<TemplateAttachmentService, TemplateAttachment>(a =>
            a.SetAsync(template.Id, "../etc/passwd", null, prices, default)));

        await CreateAndSendAsync(To(template.Id));
        await DeliverDueAsync();
        Assert.Equal(2, Env.Transport.Attempts.Count);
        foreach (var attempt in Env.Transport.Attempts)
        {
            var file = Assert.Single(MimeText.Parse(attempt.RawMime).Attachments.OfType<MimeKit.MimePart>());
            Assert.Equal(("prices.pdf", "application/pdf"), (file.FileName, file.ContentType.MimeType));
            using var content = new MemoryStream();
            file.Content!.DecodeTo(content);
            Assert.Equal(prices, content.ToArray());
        }
    }
}

public sealed class MailingLifeSqliteTests() : MailingLifeTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class MailingLifePostgresTests(PostgresFixture pg) : MailingLifeTests(new PostgresDatabaseFactory(pg));
