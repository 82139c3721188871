using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Aliases;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Followers;
using Parley.Core.Identity;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Suppression;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Inbound;

/// <summary>Bounces (DSNs from several MTAs), suppression, aliases, catchall, loops, duplicates, attachments, followers, assign.</summary>
public abstract class InboundGatewayTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private const string Domain = "mail.parley.test";

    private async Task<(ActingUser User, Contact Contact, RecordRef Record, ChatterMessage Sent, long OutboxId)> SentEmailAsync(string email = "ana@customer.test")
    {
        var user = await Env.CreateUserAsync();
        var contact = await Env.CreateContactAsync(email: email);
        await Env.SetAliasDomainAsync(Domain);
        var record = new RecordRef("contact", contact.Id);
        var sent = await Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(record, new ComposeRequest(MessageKind.Email, "Your quote", "Here it is", null), user, default));
        var outboxId = await Env.Db(db => db.Outbox.Where(o => o.ChatterMessageId == sent.Id).Select(o => o.Id).SingleAsync());
        await Env.Db(db => db.Outbox.Where(o => o.Id == outboxId).ExecuteUpdateAsync(s => s.SetProperty(o => o.State, DeliveryState.Sent)));
        return (user, contact, record, sent, outboxId);
    }

    private async Task<string> VerpAsync(long outboxId) =>
        (await Env.Services.GetRequiredService<ReplyAddressProvider>().GetBounceAsync(default)).For(outboxId, Domain);

    private Task<long> StoreAsync(string mime, string mailFrom = "ana@customer.test", params string[] recipients) =>
        Env.ReceiveAsync(mime, mailFrom, recipients.Length == 0 ? ["catchall@" + Domain] : recipients);

    private Task<int> RouteAsync() => Env.With<InboundRouter, int>(r => r.RoutePendingAsync(100, default));

    private Task<InboundMessage> Inbound(long id) => Env.Db(db => db.Inbound.AsNoTracking().SingleAsync(i => i.Id == id));

    /// <summary>Checks that the email stayed unrouted and that its error says <paramref name="why"/>.</summary>
    private async Task AssertUnroutedAsync(long id, string why)
    {
        var inbound = await Inbound(id);
        Assert.Equal(InboundStatus.Unrouted, inbound.Status);
        Assert.Contains(why, inbound.Error);
    }

    private static string Sample(string name, string verp, string rcpt, string messageId) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Inbound", "Dsn", name + ".eml"))
            .Replace("{VERP}", verp).Replace("{RCPT}", rcpt).Replace("{MSGID}", messageId);

    private static string Mail(string from, string to, string subject, string extraHeaders = "", string body = "Hello there.", string messageId = "m1@customer.test") =>
        $"From: {from}\nTo: {to}\nSubject: {subject}\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <{messageId}>\n{extraHeaders}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n";

    [Theory]
    [InlineData("postfix", true, "5.1.1", "User unknown")]
    [InlineData("exim", true, "5.0.0", "No such user here")]
    [InlineData("gmail", true, "5.1.1", "does not exist")]
    [InlineData("exchange", false, "5.1.10", "RecipientNotFound")]
    [InlineData("bare-no-final-recipient", true, "5.2.1", null)]
    [InlineData("qmail-text", true, "5.1.1", "Mailbox does not exist")]
    public async Task A_bounce_from_each_MTA_marks_the_email_bounced_and_suppresses_the_address(string mta, bool viaVerp, string status, string? words)
    {
        var (user, _, record, sent, outboxId) = await SentEmailAsync();
        var verp = await VerpAsync(outboxId);
        var id = await StoreAsync(Sample(mta, verp, "ana@customer.test", sent.MessageId!), "", viaVerp ? verp : "ada@" + Domain);
        await RouteAsync();

        var inbound = await Inbound(id);
        Assert.Equal(InboundStatus.Bounce, inbound.Status);
        var item = await Env.Db(db => db.Outbox.AsNoTracking().SingleAsync(o => o.Id == outboxId));
        Assert.Equal(DeliveryState.Bounced, item.State);
        Assert.Contains(status, item.LastError);
        var message = await Env.Db(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == sent.Id));
        Assert.Equal(DeliveryState.Bounced, message.State);
        if (words is not null)
        {
            Assert.Contains(words, message.Error);
        }

        var suppressed = await Env.With<SuppressionService, SuppressedAddress?>(s => s.FindAsync("ana@customer.test", default));
        Assert.NotNull(suppressed);
        Assert.Equal(SuppressionReason.HardBounce, suppressed.Reason);
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(record, new ComposeRequest(MessageKind.Email, "Again", "Hi", null), user, default)));
        Assert.Contains("suppression list", refused.Message);
        Assert.Equal(0, await Env.Db(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.In)));
    }

    [Fact]
    public async Task A_soft_bounce_is_counted_but_does_not_suppress()
    {
        var (_, _, _, sent, outboxId) = await SentEmailAsync();
        var verp = await VerpAsync(outboxId);
        await StoreAsync(Sample("postfix-delayed", verp, "ana@customer.test", sent.MessageId!), "", verp);
        await RouteAsync();
        Assert.Null(await Env.With<SuppressionService, SuppressedAddress?>(s => s.FindAsync("ana@customer.test", default)));
        var counter = await Env.Db(db => db.BounceCounters.AsNoTracking().SingleAsync());
        Assert.Equal((0, 1), (counter.HardBounces, counter.SoftBounces));
        Assert.Equal(DeliveryState.Sent, (await Env.Db(db => db.Outbox.AsNoTracking().SingleAsync(o => o.Id == outboxId))).State);
    }

    [Fact]
    public async Task The_hard_bounce_threshold_is_configurable()
    {
        var (_, _, _, sent, outboxId) = await SentEmailAsync();
        await Env.With<InboundSettingsService>(s => s.SetAsync(new InboundSettings(HardBounceThreshold: 2), default));
        var verp = await VerpAsync(outboxId);
        await StoreAsync(Sample("postfix", verp, "ana@customer.test", sent.MessageId!).Replace("4F2C61A0E@", "first@"), "", verp);
        await RouteAsync();
        Assert.Null(await Env.With<SuppressionService, SuppressedAddress?>(s => s.FindAsync("ana@customer.test", default)));
        await StoreAsync(Sample("postfix", verp, "ana@customer.test", sent.MessageId!).Replace("4F2C61A0E@", "second@"), "", verp);
        await RouteAsync();
        Assert.NotNull(await Env.With<SuppressionService, SuppressedAddress?>(s => s.FindAsync("ana@customer.test", default)));
    }

    [Fact]
    public async Task A_vacation_reply_to_the_bounce_address_is_not_a_bounce()
    {
        var (_, _, _, _, outboxId) = await SentEmailAsync();
        var verp = await VerpAsync(outboxId);
        var id = await StoreAsync(Mail("Ana <ana@customer.test>", verp, "Out of office", "Auto-Submitted: auto-replied\n"), "ana@customer.test", verp);
        await RouteAsync();
        Assert.Equal(InboundStatus.Bounce, (await Inbound(id)).Status);
        Assert.Contains("not a bounce", (await Inbound(id)).Route);
        Assert.Equal(DeliveryState.Sent, (await Env.Db(db => db.Outbox.AsNoTracking().SingleAsync(o => o.Id == outboxId))).State);
        Assert.Equal(0, await Env.Db(db => db.Suppressions.CountAsync()));
    }

    [Fact]
    public async Task An_alias_creates_a_contact_thread_for_a_new_sender_and_records_authentication()
    {
        await Env.SetAliasDomainAsync(Domain);
        await Env.With<AliasService, MailAlias>(a => a.CreateAsync("support", "contact", AliasContactPolicy.Everyone, default));
        var id = await StoreAsync(Mail("Bruno Costa <bruno@newco.test>", "support@" + Domain, "Help please"), "bruno@newco.test", "support@" + Domain);
        await RouteAsync();
        var inbound = await Inbound(id);
        Assert.Equal(InboundStatus.Routed, inbound.Status);
        Assert.Contains("support@", inbound.Route);
        Assert.StartsWith(Domain + "; spf=", inbound.AuthenticationResults);
        var contact = await Env.Db(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Email == "bruno@newco.test"));
        Assert.Equal("Bruno Costa", contact.Name);
        var message = await Env.Db(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == inbound.ChatterMessageId));
        Assert.Equal(contact.Id, message.RecordId);
        Assert.Equal(inbound.AuthenticationResults, message.AuthenticationResults);
    }

    [Fact]
    public async Task An_alias_for_known_contacts_keeps_strangers_unrouted()
    {
        await Env.SetAliasDomainAsync(Domain);
        await Env.With<AliasService, MailAlias>(a => a.CreateAsync("vip", "contact", AliasContactPolicy.KnownContacts, default));
        var id = await StoreAsync(Mail("x@stranger.test", "vip@" + Domain, "Hi"), "x@stranger.test", "vip@" + Domain);
        await RouteAsync();
        await AssertUnroutedAsync(id, "only known contacts");
        Assert.Equal(0, await Env.Db(db => db.Contacts.CountAsync()));
    }

    [Fact]
    public async Task An_auto_reply_never_starts_a_conversation_through_an_alias()
    {
        await Env.SetAliasDomainAsync(Domain);
        await Env.With<AliasService, MailAlias>(a => a.CreateAsync("support", "contact", AliasContactPolicy.Everyone, default));
        foreach (var header in new[] { "Auto-Submitted: auto-replied\n", "Precedence: bulk\n", "X-Autoreply: yes\n", "X-Autorespond: on\n" })
        {
            var id = await StoreAsync(Mail("bot@robots.test", "support@" + Domain, "Auto", header, messageId: Guid.NewGuid() + "@robots.test"), "bot@robots.test", "support@" + Domain);
            await RouteAsync();
            await AssertUnroutedAsync(id, "automatic");
        }
        Assert.Equal(0, await Env.Db(db => db.Contacts.CountAsync()));
    }

    [Fact]
    public async Task The_catchall_policy_can_create_a_contact_thread()
    {
        await Env.SetAliasDomainAsync(Domain);
        var kept = await StoreAsync(Mail("carla@newco.test", "anything@" + Domain, "Hello", messageId: "a@newco.test"), "carla@newco.test", "anything@" + Domain);
        await RouteAsync();
        Assert.Equal(InboundStatus.Unrouted, (await Inbound(kept)).Status);

        await Env.With<InboundSettingsService>(s => s.SetAsync(new InboundSettings(Catchall: CatchallPolicy.ContactThread), default));
        var routed = await StoreAsync(Mail("carla@newco.test", "anything@" + Domain, "Hello", messageId: "b@newco.test"), "carla@newco.test", "anything@" + Domain);
        await RouteAsync();
        Assert.Equal(InboundStatus.Routed, (await Inbound(routed)).Status);
        Assert.Contains("Catchall", (await Inbound(routed)).Route);
    }

    [Fact]
    public async Task Loop_protection_stops_posting_after_the_limit_and_says_so()
    {
        var (_, _, record, sent, _) = await SentEmailAsync();
        await Env.With<InboundSettingsService>(s => s.SetAsync(new InboundSettings(LoopLimit: 3, LoopWindowMinutes: 120), default));
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await StoreAsync(Mail("ana@customer.test", "catchall@" + Domain, "Re", $"In-Reply-To: <{sent.MessageId}>\n", messageId: $"loop{i}@customer.test")));
        }

        await RouteAsync();
        var statuses = new List<InboundStatus>();
        foreach (var id in ids)
        {
            statuses.Add((await Inbound(id)).Status);
        }

        Assert.Equal([InboundStatus.Routed, InboundStatus.Routed, InboundStatus.Routed, InboundStatus.LoopLimited, InboundStatus.LoopLimited], statuses);
        Assert.Contains("Loop protection", (await Inbound(ids[^1])).Error);
        Assert.Equal(3, await Env.Db(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.In && m.RecordId == record.Id)));

        Env.Clock.Advance(TimeSpan.FromMinutes(121));
        var later = await StoreAsync(Mail("ana@customer.test", "catchall@" + Domain, "Re", $"In-Reply-To: <{sent.MessageId}>\n", messageId: "later@customer.test"));
        await RouteAsync();
        Assert.Equal(InboundStatus.Routed, (await Inbound(later)).Status);
    }

    [Fact]
    public async Task The_same_Message_ID_twice_is_posted_once()
    {
        var (_, _, _, sent, _) = await SentEmailAsync();
        var mime = Mail("ana@customer.test", "catchall@" + Domain, "Re", $"In-Reply-To: <{sent.MessageId}>\n", messageId: "same@customer.test");
        var first = await StoreAsync(mime);
        var second = await StoreAsync(mime);
        await RouteAsync();
        var third = await StoreAsync(mime);
        await RouteAsync();
        Assert.Equal(InboundStatus.Routed, (await Inbound(first)).Status);
        Assert.Equal(InboundStatus.Duplicate, (await Inbound(second)).Status);
        Assert.Equal(InboundStatus.Duplicate, (await Inbound(third)).Status);
        Assert.Contains($"#{first}", (await Inbound(third)).Route);
        Assert.Equal(1, await Env.Db(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.In)));
        Assert.Equal(3, await Env.Db(db => db.RawMimes.CountAsync(r => db.Inbound.Any(i => i.RawMimeId == r.Id))));
    }

    [Fact]
    public async Task Parleys_own_email_coming_back_is_not_posted()
    {
        var (_, _, _, sent, _) = await SentEmailAsync();
        // A mailing list or a forwarding rule sends Parley's email back to one of its addresses, Message-ID unchanged.
        var echo = await StoreAsync(Mail("ana@customer.test", "catchall@" + Domain, "Your quote", messageId: sent.MessageId!));
        var stranger = await StoreAsync(Mail("ana@customer.test", "catchall@" + Domain, "Re", $"In-Reply-To: <{sent.MessageId}>\n",
            messageId: "0123456789abcdef.parley@elsewhere.test"));
        await RouteAsync();
        var looped = await Inbound(echo);
        Assert.Equal(InboundStatus.Duplicate, looped.Status);
        Assert.Contains("Parley's own email came back", looped.Route);
        // Parley's form of Message-ID, but not one it sent: an ordinary reply.
        Assert.Equal(InboundStatus.Routed, (await Inbound(stranger)).Status);
    }

    [Fact]
    public async Task Attachments_and_inline_images_are_recorded_and_readable()
    {
        var (_, _, _, sent, _) = await SentEmailAsync();
        var png = Convert.ToBase64String([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
        var pdf = Convert.ToBase64String(Encoding.ASCII.GetBytes("%PDF-1.4 fake"));
        var mime = "From: ana@customer.test\nTo: catchall@mail.parley.test\nSubject: Files\nMessage-ID: <files@customer.test>\n" +
                   $"In-Reply-To: <{sent.MessageId}>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=MIX\n\n" +
                   "--MIX\nContent-Type: multipart/related; boundary=REL\n\n" +
                   "--REL\nContent-Type: text/html\n\n<p>See <img src=\"cid:logo@x\"></p>\n" +
                   $"--REL\nContent-Type: image/png\nContent-ID: <logo@x>\nContent-Transfer-Encoding: base64\n\n{png}\n--REL--\n" +
                   $"--MIX\nContent-Type: application/pdf; name=\"../../etc/quote\u0001.pdf\"\nContent-Disposition: attachment; filename=\"../../etc/quote.pdf\"\nContent-Transfer-Encoding: base64\n\n{pdf}\n--MIX--\n";
        var id = await StoreAsync(mime);
        await RouteAsync();
        var inbound = await Inbound(id);
        var files = await Env.Db(db => db.Attachments.AsNoTracking().Where(a => a.ChatterMessageId == inbound.ChatterMessageId).OrderBy(a => a.PartIndex).ToListAsync());
        Assert.Equal(2, files.Count);
        Assert.True(files[0].IsInline);
        Assert.Equal("logo@x", files[0].ContentId);
        Assert.Equal("quote.pdf", files[1].FileName);
        var raw = await Env.RawMimeAsync(inbound.RawMimeId);
        Assert.Equal("%PDF-1.4 fake", Encoding.ASCII.GetString((await Parley.Core.Attachments.AttachmentExtractor.ReadAsync(raw, files[1].PartIndex, default))!));
    }

    [Fact]
    public async Task A_reply_is_forwarded_to_followers_but_not_back_to_its_author()
    {
        var (user, contact, record, sent, _) = await SentEmailAsync();
        var other = await Env.CreateContactAsync("Bea", "bea@partner.test", null);
        await Env.With<FollowerService, Follower>(f => f.AddAsync(record, contact.Id, null, default));
        await Env.With<FollowerService, Follower>(f => f.AddAsync(record, other.Id, null, default));
        await Env.With<FollowerService, Follower>(f => f.AddAsync(record, null, user.Id, default));
        await StoreAsync(Mail("Ana Lima <ana@customer.test>", "catchall@" + Domain, "Re: Your quote", $"In-Reply-To: <{sent.MessageId}>\n", "Deal."));
        await RouteAsync();

        var forward = await Env.Db(db => db.Messages.AsNoTracking().SingleAsync(m => m.AuthorName == "Parley (to followers)"));
        var recipients = await Env.Db(db => db.Outbox.Where(o => o.ChatterMessageId == forward.Id).Select(o => o.Recipient).OrderBy(r => r).ToListAsync());
        Assert.Equal(["ada@parley.test", "bea@partner.test"], recipients);
        var raw = MimeText.Parse(await Env.RawMimeAsync(forward.RawMimeId));
        Assert.Equal("auto-generated", raw.Headers["Auto-Submitted"]);
        var replyTo = raw.ReplyTo.Mailboxes.Single().Address;
        Assert.Equal(record, (await Env.Services.GetRequiredService<ReplyAddressProvider>().GetAsync(default)).Parse(replyTo));
        Assert.Contains("Deal.", raw.TextBody);

        // An auto-reply from a follower threads in but is not forwarded again.
        await StoreAsync(Mail("bea@partner.test", replyTo, "Out of office", "Auto-Submitted: auto-replied\n", messageId: "ooo@partner.test"), "bea@partner.test", replyTo);
        await RouteAsync();
        Assert.Equal(1, await Env.Db(db => db.Messages.CountAsync(m => m.AuthorName == "Parley (to followers)")));
    }

    [Fact]
    public async Task An_admin_assigns_an_unrouted_message_and_stats_count_it()
    {
        var (_, _, record, _, _) = await SentEmailAsync();
        var id = await StoreAsync(Mail("ana@customer.test", "nobody@" + Domain, "Lost", messageId: "lost@customer.test"), "ana@customer.test", "nobody@" + Domain);
        await RouteAsync();
        var before = await Env.With<InboundAdminService, InboundStats>(s => s.StatsAsync(default));
        Assert.Equal((1, 0, 1), (before.Received, before.Routed, before.Unrouted));

        var message = await Env.With<InboundAdminService, ChatterMessage>(s => s.AssignAsync(id, "contact", record.Id, default));
        Assert.Equal(record.Id, message.RecordId);
        Assert.Equal(InboundStatus.Routed, (await Inbound(id)).Status);
        var after = await Env.With<InboundAdminService, InboundStats>(s => s.StatsAsync(default));
        Assert.Equal((1, 1, 0), (after.Received, after.Routed, after.Unrouted));
        var again = await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<InboundAdminService, ChatterMessage>(s => s.AssignAsync(id, "contact", record.Id, default)));
        Assert.Contains("already routed", again.Message);
    }

    [Fact]
    public async Task Suppressions_are_added_and_removed_by_an_admin()
    {
        var added = await Env.With<SuppressionService, SuppressedAddress>(s => s.AddAsync("Zed@Example.test", "asked us to stop", default));
        Assert.Equal("zed@example.test", added.Address);
        await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<SuppressionService, SuppressedAddress>(s => s.AddAsync("not an address", null, default)));
        await Env.With<SuppressionService>(s => s.RemoveAsync("zed@example.test", default));
        Assert.Equal(0, await Env.Db(db => db.Suppressions.CountAsync()));
    }
}

public sealed class InboundGatewaySqliteTests() : InboundGatewayTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class InboundGatewayPostgresTests(PostgresFixture pg) : InboundGatewayTests(new PostgresDatabaseFactory(pg));
